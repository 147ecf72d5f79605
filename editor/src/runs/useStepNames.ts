import type { RunSummary, Workflow } from '@convoflow/engine';
import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import { useCanvasStore } from '../canvas/store.ts';

type StepNames = Readonly<Record<string, string>>;

/** Published versions never change: their step names are fetched once per `id@version`. */
const versionNames = new Map<string, Promise<StepNames>>();

/** Step id → the name (label) an operator gave the step, for the steps that have one. */
export function stepNamesOf(nodes: readonly { id: string; label?: string | undefined }[]): StepNames {
  return Object.fromEntries(nodes.flatMap((node) => (node.label ? [[node.id, node.label]] : [])));
}

/**
 * The step names a run's log shows: those of the version the run ran on, or, for a test run
 * (which runs the saved draft) and until the version has loaded, those of the draft on screen.
 */
export function useStepNames(run: Pick<RunSummary, 'test' | 'workflowId' | 'workflowVersion'>): StepNames {
  const draft = useCanvasStore((state) => (state.workflowId === run.workflowId ? state.nodes : null));
  const [published, setPublished] = useState<StepNames | null>(null);
  useEffect(() => {
    if (run.test) return;
    const key = `${run.workflowId}@${run.workflowVersion}`;
    let names = versionNames.get(key);
    if (!names) {
      names = api.workflows
        .version(run.workflowId, run.workflowVersion)
        .then((workflow: Workflow) => stepNamesOf(workflow.nodes));
      // A failed read is tried again next time instead of being remembered.
      names.catch(() => versionNames.delete(key));
      versionNames.set(key, names);
    }
    let current = true;
    names.then((loaded) => current && setPublished(loaded)).catch(() => undefined);
    return () => {
      current = false;
    };
  }, [run.test, run.workflowId, run.workflowVersion]);
  if (published) return published;
  return draft ? stepNamesOf(draft) : {};
}
