import { useReactFlow } from '@xyflow/react';
import { useState } from 'react';
import { stepTitle } from './node-types.ts';
import { useCanvasStore } from './store.ts';

/**
 * Every validation problem, docked under the palette so it never covers the canvas; choosing
 * one selects its node, centres it and opens its panel.
 */
export function ProblemsList() {
  const problems = useCanvasStore((state) => state.problems);
  const nodes = useCanvasStore((state) => state.nodes);
  const selectNode = useCanvasStore((state) => state.selectNode);
  const flow = useReactFlow();
  const [open, setOpen] = useState(true);
  if (problems.length === 0) {
    return (
      <div className="problems problems--ok" data-testid="problems" role="status">
        ✓ No problems
      </div>
    );
  }
  const labelOf = (nodeId: string) => {
    const node = nodes.find((candidate) => candidate.id === nodeId);
    return stepTitle(node?.type, node?.label);
  };
  return (
    <section className="problems" data-testid="problems" aria-label="Problems">
      <button
        type="button"
        className="problems__toggle"
        aria-expanded={open}
        onClick={() => setOpen((value) => !value)}
      >
        <span aria-hidden="true">{open ? '▾' : '▸'}</span> {problems.length} problem{problems.length === 1 ? '' : 's'}
      </button>
      {open && (
        <ul className="problems__list">
          {problems.map((problem) => (
            <li key={`${problem.nodeId ?? ''}|${problem.edgeId ?? ''}|${problem.field ?? ''}|${problem.message}`}>
              <button
                type="button"
                className="problems__item"
                data-testid="problem"
                data-node-id={problem.nodeId}
                disabled={!problem.nodeId}
                onClick={() => {
                  if (!problem.nodeId) return;
                  const nodeId = problem.nodeId;
                  selectNode(nodeId);
                  // Opening the side panel narrows the canvas: centre once React Flow has measured it.
                  afterResize(() => void flow.fitView({ nodes: [{ id: nodeId }], duration: 300, maxZoom: 1.2 }));
                }}
              >
                {problem.nodeId && (
                  <span className="problems__node">
                    {labelOf(problem.nodeId)} <span className="problems__id">{problem.nodeId}</span>
                  </span>
                )}
                {problem.message}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Runs `then` after the next layout and resize observation: two frames from now. */
function afterResize(then: () => void): void {
  requestAnimationFrame(() => requestAnimationFrame(then));
}
