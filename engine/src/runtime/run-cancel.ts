import type { RunStatus } from '../contract/runs.ts';
import type { Metrics } from '../metrics.ts';
import type { Interpreter } from './interpreter.ts';
import type { RunLocks } from './locks.ts';
import { finalStatuses, type RunState } from './run-state.ts';
import type { RunStore } from './run-store.ts';

/** How long cancelling waits for a job that is executing a step of the run. */
const CANCEL_WAIT_MS = 10_000;
/** Runs of one workflow cancelled at once: each may wait for its lock. */
const CANCEL_BATCH = 16;
/** Scans for a workflow's active runs: the second finds runs enrolled while the first was cancelled, and retries busy ones. */
const CANCEL_PASSES = 2;

export type CancelOutcome =
  | { kind: 'cancelled' }
  | { kind: 'ended'; status: RunStatus }
  | { kind: 'busy' }
  | { kind: 'missing' };

export interface RunCancellerDeps {
  locks: RunLocks;
  store: RunStore;
  interpreter: Interpreter;
  metrics: Metrics;
}

/** Ends runs as cancelled under their lock, so no job is half-way through a step of them. */
export class RunCanceller {
  constructor(private readonly deps: RunCancellerDeps) {}

  /** Cancels the run unless it has ended; `busy` when a job kept it longer than the wait. */
  async cancel(runId: string): Promise<CancelOutcome> {
    const { locks, store, interpreter, metrics } = this.deps;
    const lock = await locks.acquire(runId, CANCEL_WAIT_MS);
    if (!lock) return { kind: 'busy' };
    try {
      const run = await store.get(runId);
      if (!run) return { kind: 'missing' };
      if (finalStatuses.has(run.status)) return { kind: 'ended', status: run.status };
      const now = Date.now();
      const cancelled: RunState = {
        ...run,
        status: 'cancelled',
        wait: null,
        inflight: null,
        endedAt: now,
        updatedAt: now,
      };
      await lock.write([...store.saveCommands(cancelled), interpreter.clearTimer(run)]);
      metrics.runsEnded.inc({ workflow: run.workflowId, status: 'cancelled' });
      return { kind: 'cancelled' };
    } finally {
      await lock.release();
    }
  }

  /**
   * Cancels every active published run of the workflow (new events must no longer enrol in it).
   * Returns how many are still active: runs a job kept busy past the wait.
   */
  async cancelAll(workflowId: string): Promise<number> {
    for (let pass = 1; ; pass++) {
      const runIds = await this.deps.store.activeRunIdsOf(workflowId);
      if (runIds.length === 0 || pass > CANCEL_PASSES) return runIds.length;
      for (let start = 0; start < runIds.length; start += CANCEL_BATCH) {
        await Promise.all(runIds.slice(start, start + CANCEL_BATCH).map((runId) => this.cancel(runId)));
      }
    }
  }
}
