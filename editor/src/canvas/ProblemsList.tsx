import { useReactFlow } from '@xyflow/react';
import { useState } from 'react';
import { useCanvasStore } from './store.ts';

/** Every validation problem; choosing one selects its node, centres it and opens its panel. */
export function ProblemsList() {
  const problems = useCanvasStore((state) => state.problems);
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
  return (
    <section className="problems" data-testid="problems" aria-label="Problems">
      <button
        type="button"
        className="problems__toggle"
        aria-expanded={open}
        onClick={() => setOpen((value) => !value)}
      >
        {problems.length} problem{problems.length === 1 ? '' : 's'}
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
                  selectNode(problem.nodeId);
                  void flow.fitView({ nodes: [{ id: problem.nodeId }], duration: 300, maxZoom: 1.2 });
                }}
              >
                {problem.nodeId && <span className="problems__node">{problem.nodeId}</span>}
                {problem.message}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
