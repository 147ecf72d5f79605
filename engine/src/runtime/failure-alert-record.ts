import { z } from 'zod';
import type { Command } from './commands.ts';
import type { RunState } from './run-state.ts';

/**
 * The Redis keys of failure alerts. Per workflow, a hash of the failures not yet alerted
 * (`count`, the `last` one) and when the last alert went out (`sentAt`, `attempts` of the
 * alert being sent); one sorted set of the workflows with an alert due, by when it is due.
 */
export function alertKeys(prefix: string) {
  return {
    due: () => `${prefix}alerts:due`,
    workflow: (workflowId: string) => `${prefix}alerts:wf:${workflowId}`,
    /** Held by the worker sending a workflow's alert, so two workers never send it twice. */
    sending: (workflowId: string) => `${prefix}alerts:wf:${workflowId}:sending`,
  };
}
export type AlertKeys = ReturnType<typeof alertKeys>;

/** The latest failure of a workflow not alerted yet: what the alert names. */
export const RecordedFailure = z.object({
  runId: z.string(),
  workflowVersion: z.number(),
  /** The step the run failed at or left by a failure exit; null when the run failed before any step. */
  nodeId: z.string().nullable(),
  reason: z.string(),
  at: z.number(),
});
export type RecordedFailure = z.infer<typeof RecordedFailure>;

/** Long enough for a step's note; an alert is a chat message. */
const MAX_REASON = 1000;

/**
 * The writes that record a failure of a published run for its workflow's alert, applied in the
 * same atomic write that records the failure itself: an alert cannot be lost to a crash, and the
 * run never waits for it. The failure is counted, kept as the latest, and the workflow's alert
 * made due now, unless it is due already (then at the end of the quiet window). Whether the
 * workflow wants alerts is the sender's question: a test run records nothing.
 */
export function failureAlertCommands(
  keys: AlertKeys,
  run: Pick<RunState, 'id' | 'test' | 'workflowId' | 'workflowVersion'>,
  nodeId: string | null,
  reason: string,
  now = Date.now(),
): Command[] {
  if (run.test) return [];
  const failure: RecordedFailure = {
    runId: run.id,
    workflowVersion: run.workflowVersion,
    nodeId,
    reason: reason.slice(0, MAX_REASON),
    at: now,
  };
  const key = keys.workflow(run.workflowId);
  return [
    ['HINCRBY', key, 'count', '1'],
    ['HSET', key, 'last', JSON.stringify(failure)],
    // The expiry a settled alert left (`alert-settle.lua`) must not take this failure with it
    // before its alert goes out; the next settle sets it again.
    ['PERSIST', key],
    ['ZADD', keys.due(), 'NX', String(now), run.workflowId],
  ];
}
