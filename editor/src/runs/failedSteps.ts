import type { RunDetail } from '@convoflow/engine';
import { stepTitle } from '../canvas/node-types.ts';

/** Exits that mean the step did not get what it wanted: the run went on, if at all, on a fallback branch. */
export const failureExits: ReadonlySet<string> = new Set(['failure', 'invalid', 'timeout']);

export interface FailedStep {
  nodeId: string;
  /** The step's name, else its type's label (`stepTitle`). */
  label: string;
  exit: string;
  /** What the step said when it left: its note, else its error. */
  reason?: string;
}

/**
 * The steps the run left by a failure exit, with the exit and the reason from its last such log
 * entry; `stepNames` (id → name) names the steps an operator named.
 */
export function failedStepsOf(
  run: Pick<RunDetail, 'failedSteps' | 'steps'>,
  stepNames: Readonly<Record<string, string>> = {},
): FailedStep[] {
  return run.failedSteps.flatMap((nodeId) => {
    const entry = run.steps.findLast((step) => step.nodeId === nodeId && step.exit && failureExits.has(step.exit));
    if (!entry?.exit) return [];
    const reason = entry.note ?? entry.error;
    return [
      {
        nodeId,
        label: stepTitle(entry.nodeType, stepNames[nodeId]),
        exit: entry.exit,
        ...(reason ? { reason } : {}),
      },
    ];
  });
}
