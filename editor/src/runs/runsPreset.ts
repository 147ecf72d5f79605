import type { RunQuery } from '@convoflow/engine';

export type OutcomeFilter = NonNullable<RunQuery['outcome']>;

/**
 * The outcome a workflow's runs list opens filtered to, set by a link to it (the workflow list's
 * "3 failed"): the route names the workflow's runs, not their filters.
 */
const presets = new Map<string, OutcomeFilter>();

export function presetOutcome(workflowId: string, outcome: OutcomeFilter): void {
  presets.set(workflowId, outcome);
}

/** The preset outcome of the workflow's runs list, if a link set one; `clear` once the list took it. */
export function outcomePreset(workflowId: string | undefined): { outcome: OutcomeFilter | ''; clear: () => void } {
  const outcome = workflowId === undefined ? undefined : presets.get(workflowId);
  return {
    outcome: outcome ?? '',
    clear: () => {
      if (workflowId !== undefined) presets.delete(workflowId);
    },
  };
}
