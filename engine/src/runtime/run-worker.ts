import { setTimeout as delay } from 'node:timers/promises';
import { DelayedError, type Job, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { type Interpreter, RetryStepError } from './interpreter.ts';
import type { HeldLock, RunLocks } from './locks.ts';
import type { WorkerOptions } from './options.ts';
import { RUN_QUEUE, RunJob } from './queue.ts';
import { finalStatuses } from './run-state.ts';
import type { RunStore } from './run-store.ts';

export interface RunWorkerDeps {
  redisUrl: string;
  bullPrefix: string;
  interpreter: Interpreter;
  locks: RunLocks;
  store: RunStore;
  /** The Redis key of a run's record (read with its lock). */
  runKey: (runId: string) => string;
  logger: Logger;
}

/**
 * A killed worker's job is retried by another worker once its lock expired and a stalled-job
 * check saw it: within about 11 s with these (BullMQ's defaults would take up to a minute).
 */
const DEFAULT_JOB_LOCK_MS = 8_000;
const DEFAULT_STALLED_INTERVAL_MS = 3_000;

/** How long a job whose run is busy (another job holds its lock) waits before trying again. */
const BUSY_DELAY_MS = 25;

/** How long closing waits for BullMQ to finish setting up its connections (Redis may be down). */
const READY_WAIT_MS = 2_000;

/** How long failing the run of a job out of attempts waits for a job still holding the run. */
const GIVE_UP_LOCK_WAIT_MS = 10_000;

/**
 * A BullMQ worker advancing runs. Each job takes its run's lock first; when another job holds
 * it, the job is moved back to delayed (not failed, not counted as an attempt).
 */
export class RunWorker {
  private readonly worker: Worker;
  private readonly connection: Redis;
  private readonly inFlight = new Set<{ lock: HeldLock; abort: AbortController }>();
  /**
   * BullMQ sets up its blocking connection in the background, with commands nobody awaits:
   * closing it halfway rejects them as unhandled, which takes the process down with exit 1.
   */
  private readonly ready: Promise<unknown>;

  constructor(
    private readonly deps: RunWorkerDeps,
    options: WorkerOptions,
  ) {
    this.connection = new Redis(deps.redisUrl, { maxRetriesPerRequest: null });
    this.worker = new Worker(RUN_QUEUE, (job, token) => this.process(job, token), {
      connection: this.connection,
      prefix: deps.bullPrefix,
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs ?? DEFAULT_JOB_LOCK_MS,
      stalledInterval: options.stalledIntervalMs ?? DEFAULT_STALLED_INTERVAL_MS,
    });
    this.ready = this.worker.waitUntilReady().catch(() => undefined);
    this.worker.on('error', (error) => deps.logger.error({ err: error }, 'run worker error'));
    this.worker.on('failed', (job, error) => {
      if (!job || error instanceof DelayedError || error.name === 'DelayedError') return;
      deps.logger.warn({ jobId: job.id, attemptsMade: job.attemptsMade, err: error.message }, 'run job failed');
      if (job.finishedOn) {
        this.giveUp(job, error).catch((cause) =>
          deps.logger.error({ jobId: job.id, err: cause }, 'could not mark the run of a failed job as failed'),
        );
      }
    });
  }

  /**
   * A job out of attempts (any kind, for a reason other than a step error, which fails the run
   * itself): no job is left to move its run on, which would stay queued, running or waiting
   * forever (a waiting run's timer became this very job). The run fails, the reason in its log.
   */
  private async giveUp(job: Job, error: Error): Promise<void> {
    const data = RunJob.safeParse(job.data);
    if (!data.success) return;
    const { runId, kind } = data.data;
    const lock = await this.deps.locks.acquire(runId, GIVE_UP_LOCK_WAIT_MS);
    if (!lock) throw new Error(`run ${runId} stayed locked by another job`);
    try {
      const run = await this.deps.store.get(runId);
      if (run && !finalStatuses.has(run.status)) {
        const attempts = `${job.attemptsMade} attempt${job.attemptsMade === 1 ? '' : 's'}`;
        await this.deps.interpreter.abandon(run, lock, `Its ${kind} job gave up after ${attempts}: ${error.message}`);
        this.deps.logger.warn({ runId, jobId: job.id, err: error.message }, 'run failed: its job gave up');
      }
    } finally {
      await lock.release();
    }
  }

  private async process(job: Job, token: string | undefined): Promise<void> {
    const parsed = RunJob.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`Malformed run job ${job.id}: ${parsed.error.message}`);
    const data = parsed.data;
    const abort = new AbortController();
    const held = await this.deps.locks.tryAcquireAndRead(data.runId, this.deps.runKey(data.runId), () =>
      abort.abort(new Error(`Lost the lock of run ${data.runId}.`)),
    );
    if (!held) {
      await job.moveToDelayed(Date.now() + BUSY_DELAY_MS + Math.floor(Math.random() * 2 * BUSY_DELAY_MS), token);
      throw new DelayedError();
    }
    const { lock } = held;
    const entry = { lock, abort };
    this.inFlight.add(entry);
    try {
      if (held.value === null) return;
      const run = this.deps.store.fromRecord(held.value, data.runId);
      const attempt = { finalAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1), signal: abort.signal };
      if (data.kind === 'start') await this.deps.interpreter.start(run, lock, attempt);
      else if (data.kind === 'resume') await this.deps.interpreter.resume(run, lock, attempt);
      else await this.deps.interpreter.deadline(run, data.waitSeq, lock, attempt);
    } catch (error) {
      if (!(error instanceof RetryStepError)) {
        this.deps.logger.error({ runId: data.runId, jobId: job.id, err: error }, 'run job failed; it will be retried');
      }
      throw error;
    } finally {
      this.inFlight.delete(entry);
      // An aborted job lost its lock, or its worker was killed: the lock is not ours to release.
      if (!abort.signal.aborted) {
        await lock
          .release()
          .catch((error) => this.deps.logger.warn({ runId: data.runId, err: error }, 'could not release a run lock'));
      }
    }
  }

  /**
   * Graceful: stop taking jobs and let in-flight steps finish. `force` abandons in-flight jobs
   * like a dying process: their run locks are no longer kept alive and their writes are refused,
   * so another worker takes the runs over once the locks expire.
   */
  async close(options: { force?: boolean } = {}): Promise<void> {
    if (options.force) {
      for (const { lock, abort } of this.inFlight) {
        abort.abort(new Error('The worker was stopped.'));
        lock.abandon();
      }
    }
    const waiting = new AbortController();
    await Promise.race([
      this.ready,
      delay(READY_WAIT_MS, undefined, { signal: waiting.signal }).catch(() => undefined),
    ]);
    waiting.abort();
    await this.worker.close(options.force ?? false);
    this.connection.disconnect();
  }
}
