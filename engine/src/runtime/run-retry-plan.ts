import type { StepLogEntry } from '../contract/runs.ts';
import type { NodeRegistry } from '../sdk/define-node.ts';
import type { WorkflowNode } from '../workflow/schema.ts';
import { definitionOf } from './node-lookup.ts';
import type { RunState } from './run-state.ts';

/*
 * What an operator's retry of an ended run does, decided without I/O (`run-retry.ts` reads and
 * writes): which step it runs again, why it is refused, and the run's state and log entry after.
 */

export type Decision<T> = { ok: true; value: T } | { ok: false; reason: string };

const refused = (reason: string): Decision<never> => ({ ok: false, reason });

/**
 * The step to retry from: `requested`, or by default the step the run failed at, else the last
 * one it left by a failure exit. Refused for a test run (its draft snapshot is what the
 * simulator runs again), a run still active, cancelled or completed without a failed step.
 */
export function retryStep(run: RunState, requested: string | undefined): Decision<string> {
  if (run.test) return refused('it is a test run; start a new one in the simulator');
  if (run.status === 'cancelled') return refused('it was cancelled');
  if (run.status !== 'failed' && run.status !== 'completed') return refused(`it has not ended (it is ${run.status})`);
  const failedAt = run.status === 'failed' ? run.currentNodeId : null;
  const candidates = [...(run.failedSteps ?? []), ...(failedAt === null ? [] : [failedAt])];
  if (candidates.length === 0) {
    return refused(
      run.status === 'completed' ? 'it completed without a failed step' : 'it failed before it reached any step',
    );
  }
  const nodeId = requested ?? failedAt ?? candidates.at(-1);
  if (nodeId === undefined || !candidates.includes(nodeId)) {
    const named = [...new Set(candidates)].map((id) => `"${id}"`).join(', ');
    return refused(`it did not fail at step "${requested}" nor leave it by a failure exit (it did at ${named})`);
  }
  return { ok: true, value: nodeId };
}

/**
 * A step the retry would run again that waits for the contact or a timer: the retry re-runs
 * the step and the ones the run took after its last execution of it, and running a question
 * again would ask the contact twice and count a survey answer twice. Null: none.
 */
export function pausingStepAhead(
  steps: readonly StepLogEntry[],
  node: WorkflowNode,
  definitions: NodeRegistry,
): string | null {
  const pauses = (type: string) => definitionOf(definitions, type)?.pauses === true;
  if (pauses(node.type)) return node.id;
  // No entry of the step: the run ended at it before logging it, nothing after it ran.
  const last = steps.findLastIndex((step) => step.nodeId === node.id && step.outcome !== 'retried');
  if (last === -1) return null;
  return steps.slice(last).find((step) => step.outcome !== 'retried' && pauses(step.nodeType))?.nodeId ?? null;
}

/**
 * The run running again at `node` of workflow version `version`, with the variables it ended
 * with. The step is armed as started: to its node the retry re-executes the attempt that failed,
 * whose effects may have landed (a request that timed out), so it checks before acting again
 * (`mayHaveRunBefore`, Sheets looks for its row) and keeps its idempotency key (same visit).
 */
export function retriedState(run: RunState, node: WorkflowNode, version: number, now: number): RunState {
  const { error: _error, failedSteps, ...rest } = run;
  const stillFailed = (failedSteps ?? []).filter((id) => id !== node.id);
  return {
    ...rest,
    workflowVersion: version,
    status: 'running',
    currentNodeId: node.id,
    endedAt: null,
    updatedAt: now,
    wait: null,
    nodeState: null,
    visits: { ...run.visits, [node.id]: run.visits[node.id] ?? 1 },
    inflight: { nodeId: node.id, startedAt: now, started: true },
    ...(stillFailed.length > 0 ? { failedSteps: stillFailed } : {}),
  };
}

/** The log entry of the retry: who, when, and the version when it changed. */
export function retryEntry(
  run: RunState,
  node: WorkflowNode,
  version: number,
  now: number,
  by: string | undefined,
): StepLogEntry {
  return {
    nodeId: node.id,
    nodeType: node.type,
    startedAt: now,
    durationMs: 0,
    outcome: 'retried',
    ...(by ? { retriedBy: by } : {}),
    ...(version === run.workflowVersion
      ? {}
      : {
          note: `on version ${version} of the workflow, published since (the run was on version ${run.workflowVersion})`,
        }),
  };
}
