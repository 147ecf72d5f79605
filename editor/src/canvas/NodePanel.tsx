import { STEP_LABEL_MAX_LENGTH } from '@convoflow/engine';
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { NodeForm } from '../forms/NodeForm.tsx';
import { definitionOf } from './node-types.ts';
import { useCanvasStore, workflowOf } from './store.ts';

/**
 * The side panel of the open node: its config form, problems and delete. `readOnly` (a viewer's
 * key) shows the settings with every field disabled and no delete; the panel still closes.
 */
export function NodePanel({ nodeId, readOnly = false }: { nodeId: string; readOnly?: boolean }) {
  const { workflowId, name, settings, nodes, edges, problems } = useCanvasStore(
    useShallow((state) => ({
      workflowId: state.workflowId,
      name: state.name,
      settings: state.settings,
      nodes: state.nodes,
      edges: state.edges,
      problems: state.problems,
    })),
  );
  const updateNodeData = useCanvasStore((state) => state.updateNodeData);
  const renameNode = useCanvasStore((state) => state.renameNode);
  const openNode = useCanvasStore((state) => state.openNode);
  const workflow = useMemo(
    () => workflowOf({ workflowId, name, settings, nodes, edges }),
    [workflowId, name, settings, nodes, edges],
  );
  const node = nodes.find((candidate) => candidate.id === nodeId);
  const errors = useMemo(() => {
    const byField: Record<string, string> = {};
    for (const problem of problems)
      if (problem.nodeId === nodeId && problem.field) byField[problem.field] ??= problem.message;
    return byField;
  }, [problems, nodeId]);
  const general = problems.filter((problem) => problem.nodeId === nodeId && !problem.field);
  if (!node) return null;
  const definition = definitionOf(node.type);

  return (
    <section className="side-panel" aria-label={`Configure ${nodeId}`} data-testid="node-panel">
      <header className="side-panel__head">
        <span className="node-card__icon" aria-hidden="true">
          {definition?.icon}
        </span>
        <div>
          <h2 className="side-panel__title">{definition?.label ?? node.type}</h2>
          <p className="muted side-panel__id">id: {nodeId}</p>
        </div>
        <button type="button" className="icon-button" aria-label="Close panel" onClick={() => openNode(null)}>
          ×
        </button>
      </header>
      {definition && <p className="muted">{definition.description}</p>}
      <fieldset disabled={readOnly} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
        <div className="field">
          <label className="field__label" htmlFor={`step-name-${nodeId}`}>
            Step name
          </label>
          <input
            id={`step-name-${nodeId}`}
            data-testid="step-name"
            value={node.label ?? ''}
            maxLength={STEP_LABEL_MAX_LENGTH}
            placeholder={definition?.label ?? node.type}
            onChange={(event) => renameNode(nodeId, event.target.value)}
          />
          <p className="field__help">Shown on the card and in run logs; the id stays “{nodeId}”.</p>
        </div>
        {general.length > 0 && (
          <ul className="side-panel__problems">
            {general.map((problem) => (
              <li key={problem.message}>{problem.message}</li>
            ))}
          </ul>
        )}
        <NodeForm
          workflow={workflow}
          nodeId={nodeId}
          errors={errors}
          onChange={(data) => updateNodeData(nodeId, data)}
        />
      </fieldset>
      {!readOnly && (
        <footer className="side-panel__foot">
          <button
            type="button"
            className="button button--danger-text"
            onClick={() => {
              useCanvasStore.getState().selectNode(nodeId);
              useCanvasStore.getState().deleteSelection();
            }}
          >
            Delete step
          </button>
        </footer>
      )}
    </section>
  );
}
