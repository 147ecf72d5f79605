import { DEFAULT_EXIT } from '@convoflow/engine';
import { Handle, type NodeProps, Position, useReactFlow, useUpdateNodeInternals } from '@xyflow/react';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AddNodeMenu } from './AddNodeMenu.tsx';
import { definitionOf, exitLabelOf, exitsOf, summaryOf, useNodeTypes } from './node-types.ts';
import { revealNode } from './revealNode.ts';
import { type FlowNode, useCanvasStore } from './store.ts';
import './team.css';

/**
 * The one card every node type renders with: the definition gives title, icon, group colour
 * exits, the config's gist and the exits' labels; a step's name, when it has one, is the title
 * and the type shows below it. Memoised, and it subscribes only to its own problem text,
 * highlight flag and name, so editing one node does not re-render the others.
 */
export const WorkflowNodeCard = memo(function WorkflowNodeCard({ id, type, data, selected }: NodeProps<FlowNode>) {
  const types = useNodeTypes();
  const definition = definitionOf(type, types);
  const problem = useCanvasStore((state) => state.nodeProblems[id]);
  const lit = useCanvasStore((state) => state.highlight.nodes.has(id));
  const label = useCanvasStore((state) => state.nodes.find((node) => node.id === id)?.label);
  const exits = useMemo(() => exitsOf(type, data, types), [type, data, types]);
  const summary = useMemo(() => summaryOf(definition, data), [definition, data]);
  // Handles come and go with the config (branch ids): React Flow must re-measure them.
  const updateNodeInternals = useUpdateNodeInternals();
  const exitsKey = exits.join('\n');
  // Not on mount: React Flow measures new nodes itself, and a second pass upsets the initial fit.
  const measuredExits = useRef(exitsKey);
  useEffect(() => {
    if (measuredExits.current === exitsKey) return;
    measuredExits.current = exitsKey;
    updateNodeInternals(id);
  }, [id, exitsKey, updateNodeInternals]);
  const group = definition?.group ?? 'Unknown';
  const typeLabel = definition?.label ?? `Unknown type “${type}”`;
  const single = exits.length === 1 && exits[0] === DEFAULT_EXIT;
  const classes = [
    'node-card',
    `node-card--${group.toLowerCase()}`,
    selected ? 'node-card--selected' : '',
    problem ? 'node-card--invalid' : '',
    lit ? 'node-card--lit' : '',
  ].join(' ');

  return (
    <div className={classes} data-testid={`node-${id}`}>
      {group !== 'Triggers' && <Handle type="target" position={Position.Top} className="node-card__target" />}
      <div className="node-card__head">
        <span className="node-card__icon" aria-hidden="true">
          {definition?.icon ?? '?'}
        </span>
        <span className="node-card__title" data-testid={`step-title-${id}`}>
          {label || typeLabel}
          {label && <span className="node-card__type">{typeLabel}</span>}
        </span>
        {problem && (
          <span className="node-card__badge" title={problem} data-testid={`node-problem-${id}`}>
            !
          </span>
        )}
      </div>
      <p className="node-card__summary">{summary ?? definition?.description}</p>
      {problem && <p className="node-card__problem">{problem.split('\n')[0]}</p>}
      {exits.length > 0 && (
        <div className="node-card__exits">
          {exits.map((exit) => (
            <Exit
              key={exit}
              nodeId={id}
              exit={exit}
              label={single ? '' : exitLabelOf(definition, data, exit)}
              single={single}
            />
          ))}
        </div>
      )}
    </div>
  );
});

function Exit({ nodeId, exit, label, single }: { nodeId: string; exit: string; label: string; single: boolean }) {
  const [menuAnchor, setMenuAnchor] = useState<HTMLElement | null>(null);
  const addNodeOnExit = useCanvasStore((state) => state.addNodeOnExit);
  const flow = useReactFlow();
  const closeMenu = useCallback(() => setMenuAnchor(null), []);
  const handle = single ? null : exit;
  return (
    <div className="node-card__exit">
      {label && <span className="node-card__exit-label">{label}</span>}
      <button
        type="button"
        className="node-card__add nodrag"
        aria-label={`Add a step after ${nodeId}${single ? '' : ` on ${exit}`}`}
        data-testid={`add-after-${nodeId}${single ? '' : `-${exit}`}`}
        aria-haspopup="menu"
        aria-expanded={menuAnchor !== null}
        onClick={(event) => {
          event.stopPropagation();
          const button = event.currentTarget;
          setMenuAnchor((open) => (open ? null : button));
        }}
      >
        +
      </button>
      <Handle
        type="source"
        position={Position.Bottom}
        {...(single ? {} : { id: exit })}
        className={`node-card__handle node-card__handle--${exit}`}
        data-testid={`handle-${nodeId}-${exit}`}
        title={`Exit ${exit}: drag to connect`}
      />
      {menuAnchor && (
        <AddNodeMenu
          anchor={menuAnchor}
          onPick={(type) => {
            setMenuAnchor(null);
            revealNode(flow, addNodeOnExit(nodeId, handle, type));
          }}
          onClose={closeMenu}
        />
      )}
    </div>
  );
}
