import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.ts';
import { LuaScript } from '../redis/lua-script.ts';
import type { RuntimeKeys } from './keys.ts';
import { PeriodicTask } from './periodic-task.ts';
import type { RunQueue } from './queue.ts';
import type { RunStore } from './run-store.ts';

/** How many quiet runs one sweep looks at, oldest first. */
const BATCH = 500;
const DEFAULT_AFTER_MS = 60_000;

/** Claims a quiet run for one look, so two sweeps never enqueue it twice. */
const claimQuiet = new LuaScript('requeue-claim-quiet');

export interface RunRequeuerDeps {
  redis: Redis;
  keys: RuntimeKeys;
  store: RunStore;
  queue: RunQueue;
  metrics: Metrics;
  logger: Logger;
  /** A run quiet (no write) this long, with no job and no lock, is enqueued again (default 60 s). */
  afterMs: number | undefined;
  /** How often this worker offers to sweep; one worker of the fleet sweeps per interval
   * (default a quarter of `afterMs`, from 1 to 30 s). */
  intervalMs: number | undefined;
}

/**
 * Finds runs left without a job, the way a Redis hiccup between creating a run and adding its
 * start job leaves one, and enqueues their start job again. A run is left alone while its lock
 * is held (a job is executing it) or its start or deadline job is queued; a start job of a run
 * that another job advanced meanwhile does nothing (`Interpreter.start`), and one job at a time
 * holds a run, so enqueuing too much never executes a step twice.
 */
export class RunRequeuer {
  private readonly afterMs: number;
  private readonly intervalMs: number;
  private readonly task: PeriodicTask;

  constructor(private readonly deps: RunRequeuerDeps) {
    this.afterMs = deps.afterMs ?? DEFAULT_AFTER_MS;
    this.intervalMs = deps.intervalMs ?? Math.min(30_000, Math.max(1_000, Math.round(this.afterMs / 4)));
    this.task = new PeriodicTask(
      () => this.sweepIfOurTurn(),
      this.intervalMs,
      (error) => deps.logger.error({ err: error }, 'could not sweep for runs left without a job'),
    );
  }

  start(): void {
    this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /** The fleet's turn is a key that expires after one interval: whoever sets it sweeps. */
  private async sweepIfOurTurn(): Promise<void> {
    const { redis, keys } = this.deps;
    if ((await redis.set(keys.requeueSweep(), '1', 'PX', this.intervalMs, 'NX')) !== 'OK') return;
    await this.sweep();
  }

  /** Enqueues again every run quiet for `afterMs` that has no job and no lock; returns how many. */
  async sweep(): Promise<number> {
    const { redis, keys } = this.deps;
    const quietSince = Date.now() - this.afterMs;
    const runIds = await redis.zrangebyscore(keys.moving(), '-inf', quietSince, 'LIMIT', 0, BATCH);
    let requeued = 0;
    for (const runId of runIds) {
      if (await this.requeueIfStranded(runId, quietSince)) requeued += 1;
    }
    return requeued;
  }

  private async requeueIfStranded(runId: string, quietSince: number): Promise<boolean> {
    const { redis, keys, store, queue } = this.deps;
    const claimed = await claimQuiet.run(redis, [keys.moving()], [runId, quietSince, Date.now()]);
    if (claimed !== 1 || (await redis.exists(keys.lock(runId))) === 1) return false;
    // Read after the lock check: a job that took the run since then and wrote it left it fresh.
    const run = await store.get(runId);
    if (!run) {
      await redis.zrem(keys.moving(), runId);
      return false;
    }
    if ((run.status !== 'queued' && run.status !== 'running') || run.updatedAt > quietSince) return false;
    if (await queue.hasLiveJob(runId, run.waitSeq)) return false;
    await queue.startAgain(runId);
    this.deps.metrics.runsRequeued.inc({ workflow: run.workflowId });
    this.deps.logger.warn(
      { runId, status: run.status, quietMs: Date.now() - run.updatedAt },
      'run had no job and no lock; enqueued again',
    );
    return true;
  }
}
