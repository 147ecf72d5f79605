import type { ValidationProblem } from '@convoflow/engine';
import { useEffect } from 'react';
import { useCanvasStore, workflowOf } from './store.ts';
import { problemsOf } from './validation.ts';

const DEBOUNCE_MS = 250;

/**
 * Validates the draft in the browser shortly after each change, and shows those problems
 * together with the server's (from the last save or publish) on the nodes and in the list.
 */
export function useLiveValidation(serverProblems: readonly ValidationProblem[]): void {
  const nodes = useCanvasStore((state) => state.nodes);
  const edges = useCanvasStore((state) => state.edges);
  useEffect(() => {
    const timer = window.setTimeout(() => {
      const store = useCanvasStore.getState();
      let live: ValidationProblem[];
      try {
        live = problemsOf(workflowOf({ ...store, nodes, edges }));
      } catch (error) {
        live = [
          {
            message: `The editor could not check this workflow: ${error instanceof Error ? error.message : String(error)}`,
          },
        ];
      }
      store.setProblems(mergeProblems(live, serverProblems));
    }, DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [nodes, edges, serverProblems]);
}

export function mergeProblems(...lists: readonly (readonly ValidationProblem[])[]): ValidationProblem[] {
  const seen = new Set<string>();
  const merged: ValidationProblem[] = [];
  for (const problem of lists.flat()) {
    const key = `${problem.nodeId ?? ''}|${problem.edgeId ?? ''}|${problem.field ?? ''}|${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    merged.push(problem);
  }
  return merged;
}
