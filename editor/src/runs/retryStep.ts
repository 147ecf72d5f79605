import type { RunDetail } from '@convoflow/engine';
import { definitionOf, stepTitle } from '../canvas/node-types.ts';

export interface RetryStep {
  nodeId: string;
  /** The node type's label, or the type when the editor does not know it. */
  label: string;
}

/**
 * The step "Retry" runs the run again from, as the server picks it by default: the step a failed
 * run failed at, else the last one it left by a failure exit. Null for a run that cannot be
 * retried: a test run, one that has not ended by a failure, or one whose step waits for the contact.
 */
export function retryStepOf(
  run: Pick<RunDetail, 'test' | 'outcome' | 'status' | 'currentNodeId' | 'failedSteps' | 'steps'>,
): RetryStep | null {
  if (run.test || (run.outcome !== 'failed' && run.outcome !== 'completed_with_failures')) return null;
  const nodeId = (run.status === 'failed' ? run.currentNodeId : null) ?? run.failedSteps.at(-1);
  if (nodeId === undefined) return null;
  const type = run.steps.findLast((step) => step.nodeId === nodeId)?.nodeType;
  const definition = definitionOf(type);
  // The server refuses to ask the contact a question again (the answer would count twice).
  if (definition?.pauses) return null;
  return { nodeId, label: stepTitle(type) };
}
