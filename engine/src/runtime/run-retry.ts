import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { BULK_RETRY_LIMIT, type BulkRetryRequest, type BulkRetryResult, type StepLogEntry } from '../contract/runs.ts';
import { AppError } from '../errors.ts';
import { LuaScript } from '../redis/lua-script.ts';
import type { NodeRegistry } from '../sdk/define-node.ts';
import type { WorkflowStore } from '../stores/workflow-store.ts';
import type { Workflow, WorkflowNode } from '../workflow/schema.ts';
import type { RuntimeKeys } from './keys.ts';
import type { RunLocks } from './locks.ts';
import type { RunQueue } from './queue.ts';
import { failedAtStep } from './run-outcome.ts';
import { readRunRecord } from './run-record.ts';
import { type Decision, pausingStepAhead, retriedState, retryEntry, retryStep } from './run-retry-plan.ts';
import type { RunState } from './run-state.ts';
import type { RunStore } from './run-store.ts';

/** How long a retry waits for a job that holds the run (one that is just ending it). */
const RETRY_LOCK_WAIT_MS = 10_000;
/** Runs of one bulk retry retried at once: each takes its lock. */
const RETRY_BATCH = 16;
/** Runs read per page while looking for a step's failed runs. */
const SCAN_PAGE = 500;
/** How much of the name an editor sends is kept (as for draft saves). */
const NAME_MAX = 100;

/** Deletes a key only while it holds the given value: a claim taken for a write that did not happen. */
const releaseIfHeld = new LuaScript('lock-release');

export type RetryOutcome =
  | { kind: 'retried'; run: RunState }
  | { kind: 'refused'; reason: string }
  | { kind: 'busy' }
  | { kind: 'missing' };

/** A run of a bulk retry: its outcome, or the error `retry` threw for it. */
type BulkOutcome = RetryOutcome | { kind: 'error'; message: string };

export interface RunRetrierDeps {
  redis: Redis;
  keys: RuntimeKeys;
  locks: RunLocks;
  store: RunStore;
  queue: RunQueue;
  definitions: NodeRegistry;
  workflows: Pick<WorkflowStore, 'get' | 'getVersion'>;
  logger: Logger;
}

/**
 * An operator's retry of ended runs from a step they failed at or left by a failure exit, once
 * the connection or the workflow is fixed: under the run's lock, one atomic write puts it back
 * to running at that step (same variables, the workflow's current published version) with the
 * retry in its log, then a job continues it. A running run is in the requeue sweep's set, so a
 * lost enqueue (or a worker dying) still lets it proceed.
 */
export class RunRetrier {
  constructor(private readonly deps: RunRetrierDeps) {}

  /** Retries the run from `nodeId` (default: see `retryStep`), as `by` (an editor's display name). */
  async retry(runId: string, nodeId: string | undefined, by: string | undefined): Promise<RetryOutcome> {
    const { locks, queue, logger } = this.deps;
    const lock = await locks.acquire(runId, RETRY_LOCK_WAIT_MS);
    if (!lock) return { kind: 'busy' };
    let outcome: RetryOutcome;
    try {
      const record = await this.deps.redis.get(this.deps.keys.run(runId));
      if (record === null) return { kind: 'missing' };
      const { run, steps } = readRunRecord(record, runId);
      const planned = await this.plan(run, steps, nodeId);
      if (!planned.ok) return { kind: 'refused', reason: planned.reason };
      const claim = await this.claimConversation(run);
      if (!claim.ok) return { kind: 'refused', reason: claim.reason };
      const { node, version } = planned.value;
      const now = Date.now();
      const retried = retriedState(run, node, version, now);
      const { store } = this.deps;
      try {
        await lock.write([
          ...store.saveCommands(retried),
          store.appendStepCommand(run, retryEntry(run, node, version, now, displayName(by))),
          ...store.reopenCommands(retried),
        ]);
      } catch (error) {
        // Not reopened: the conversation must not stay held by an ended run.
        await releaseIfHeld.run(this.deps.redis, [claim.value], [run.id]).catch(() => {});
        throw error;
      }
      outcome = { kind: 'retried', run: retried };
    } finally {
      await lock.release();
    }
    // A job of its own id: a start job of the run still finishing would swallow a second one.
    // Lost, the requeue sweep enqueues the running run again.
    await queue.resume(runId).catch((error: unknown) => {
      logger.warn({ runId, err: error }, 'could not enqueue a retried run; the requeue sweep will');
    });
    logger.info({ runId, nodeId: outcome.run.currentNodeId, by }, 'run retried by an operator');
    return outcome;
  }

  /**
   * Retries the workflow's ended published runs created in the range that failed at `nodeId` or
   * left it by a failure exit, found in the failure indexes, at most `BULK_RETRY_LIMIT` per call;
   * its test runs there are skipped, saying so.
   */
  async retryAll(workflowId: string, request: BulkRetryRequest, by: string | undefined): Promise<BulkRetryResult> {
    const found = await this.failedRunsOf(workflowId, request);
    const runIds = found.slice(0, BULK_RETRY_LIMIT);
    const result: BulkRetryResult = {
      retried: [],
      skipped: [],
      limit: BULK_RETRY_LIMIT,
      more: found.length > runIds.length,
    };
    for (let start = 0; start < runIds.length; start += RETRY_BATCH) {
      const batch = runIds.slice(start, start + RETRY_BATCH);
      // One run's error (Redis, a lost lock) is that run's: the others' outcomes are still reported.
      const outcomes = await Promise.all(
        batch.map((runId) =>
          this.retry(runId, request.nodeId, by).catch((error: unknown): BulkOutcome => {
            this.deps.logger.warn({ runId, err: error }, 'could not retry a run of a bulk retry');
            return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
          }),
        ),
      );
      outcomes.forEach((outcome, index) => {
        const runId = batch[index] ?? '';
        if (outcome.kind === 'retried') result.retried.push(runId);
        else result.skipped.push({ runId, reason: skipReason(outcome) });
      });
    }
    return result;
  }

  /** Ids of the runs that failed at the step, newest first, one more than the limit at most. */
  private async failedRunsOf(workflowId: string, request: BulkRetryRequest): Promise<string[]> {
    const ids: string[] = [];
    for (let offset = 0; ids.length <= BULK_RETRY_LIMIT; offset += SCAN_PAGE) {
      const page = await this.deps.store.page(
        { workflowId, outcome: 'any_failure', from: request.from, to: request.to, limit: SCAN_PAGE, offset },
        { countAll: false },
      );
      // Test runs too: the list an operator retries from counts them, so the answer says why they stay.
      for (const run of page.runs) if (failedAtStep(run, request.nodeId)) ids.push(run.id);
      if (page.runs.length < SCAN_PAGE) break;
    }
    return ids;
  }

  /** The step to run again and the version to run it on, or why the run cannot be retried. */
  private async plan(
    run: RunState,
    steps: readonly StepLogEntry[],
    requested: string | undefined,
  ): Promise<Decision<{ node: WorkflowNode; version: number }>> {
    const step = retryStep(run, requested);
    if (!step.ok) return step;
    const nodeId = step.value;
    const target = await this.versionToRun(run);
    if (!target.ok) return target;
    const { workflow, version } = target.value;
    const node = workflow.nodes.find((candidate) => candidate.id === nodeId);
    if (!node) {
      return {
        ok: false,
        reason: `step "${nodeId}" is not in version ${version} of workflow "${run.workflowId}" any more; publish a version that has it, or retry from another step`,
      };
    }
    const pausing = pausingStepAhead(steps, node, this.deps.definitions);
    if (pausing !== null) {
      return {
        ok: false,
        reason: `retrying from step "${nodeId}" would run step "${pausing}" again, which waits for the contact or a timer (the contact would be asked twice and a survey answer counted twice)`,
      };
    }
    return { ok: true, value: { node, version } };
  }

  /**
   * Takes the conversation's "one active run" claim for the run, in one step (SET NX GET): read
   * first and set in the reopening write, a run enrolled in between would hold it too, and the
   * retried run's end would then delete that run's claim. Gives the claim's key.
   */
  private async claimConversation(run: RunState): Promise<Decision<string>> {
    const key = this.deps.keys.activeClaim(run.workflowId, run.conversationId);
    const holder = await this.deps.redis.set(key, run.id, 'NX', 'GET');
    if (holder !== null && holder !== run.id) {
      return {
        ok: false,
        reason: `conversation "${run.conversationId}" has another active run of this workflow (${holder}); retry once it has ended`,
      };
    }
    return { ok: true, value: key };
  }

  /**
   * The workflow's published version (the operator may have fixed the workflow and published it
   * again); unpublished, the version the run was on, while it is kept; deleted, none.
   */
  private async versionToRun(run: RunState): Promise<Decision<{ workflow: Workflow; version: number }>> {
    const { workflows } = this.deps;
    // Only a workflow or version that is gone decides: Redis failing is an error, not a refusal.
    const record = await workflows.get(run.workflowId).catch(unlessNotFound);
    // A deleted workflow's versions may outlive it for its runs still active: not for a retry.
    if (record === null) {
      return { ok: false, reason: `workflow "${run.workflowId}" was deleted; nothing is left to run` };
    }
    const version = record.publishedVersion ?? run.workflowVersion;
    const workflow = await workflows.getVersion(run.workflowId, version).catch(unlessNotFound);
    if (workflow === null) {
      return {
        ok: false,
        reason: `workflow "${run.workflowId}" no longer has version ${version}; nothing is left to run`,
      };
    }
    return { ok: true, value: { workflow, version } };
  }
}

function unlessNotFound(error: unknown): null {
  if (error instanceof AppError && error.code === 'NOT_FOUND') return null;
  throw error;
}

function skipReason(outcome: Exclude<BulkOutcome, { kind: 'retried' }>): string {
  if (outcome.kind === 'refused') return outcome.reason;
  if (outcome.kind === 'busy') return 'a job held the run too long; send the request again';
  if (outcome.kind === 'error') return `it could not be retried (${outcome.message}); send the request again`;
  return 'the run has expired';
}

/** Who retries, as their editor said: trimmed and cut short, shown in the log and never trusted. */
function displayName(name: string | undefined): string | undefined {
  const shown = (name ?? '').trim().slice(0, NAME_MAX).trim();
  return shown === '' ? undefined : shown;
}
