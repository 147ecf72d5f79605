import type { RunOutcome } from '../contract/runs.ts';
import type { RunState } from './run-state.ts';

/** The exits a step takes when it could not do its job: a run that took one ends `completed_with_failures`. */
const failureExits: ReadonlySet<string> = new Set(['failure', 'invalid', 'timeout']);

/** Whether leaving a step by `exit` means it could not do its job. */
export function isFailureExit(exit: string): boolean {
  return failureExits.has(exit);
}

/** The run's failed steps once it has left `nodeId` by `exit`: the node is added when the exit is a failure. */
export function failedStepsAfter(run: RunState, nodeId: string, exit: string): string[] | undefined {
  const failed = run.failedSteps;
  if (!failureExits.has(exit) || failed?.includes(nodeId)) return failed;
  return [...(failed ?? []), nodeId];
}

/** How the run ended, from its status and failed steps; null while it is active. A run recorded
 * before failed steps were kept has none, so it reads as completed. */
export function runOutcome(run: Pick<RunState, 'status' | 'failedSteps'>): RunOutcome | null {
  switch (run.status) {
    case 'completed':
      return run.failedSteps?.length ? 'completed_with_failures' : 'completed';
    case 'failed':
    case 'cancelled':
      return run.status;
    default:
      return null;
  }
}

/**
 * Whether the run failed at `nodeId` (an error the engine could not route ended it there) or left
 * it by a failure exit: what "failed at step" means to the runs list and to retrying.
 */
export function failedAtStep(
  run: { status: RunState['status']; currentNodeId: string | null; failedSteps?: readonly string[] | undefined },
  nodeId: string,
): boolean {
  return (run.status === 'failed' && run.currentNodeId === nodeId) || (run.failedSteps ?? []).includes(nodeId);
}
