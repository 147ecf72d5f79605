import { randomUUID } from 'node:crypto';
import { type JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';

export const RUN_QUEUE = 'runs';

/** Job ids that make enqueuing idempotent: one start per run, one deadline per wait. */
const startJobId = (runId: string) => `start-${runId}`;
const deadlineJobId = (runId: string, waitSeq: number) => `deadline-${runId}-${waitSeq}`;

/** States of a job that will still run (or is running). */
const liveStates: ReadonlySet<string> = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

/** Earlier releases named the `deadline` job `timeout`: one they queued still runs after the upgrade. */
const renamedKind = (job: unknown) =>
  typeof job === 'object' && job !== null && 'kind' in job && job.kind === 'timeout'
    ? { ...job, kind: 'deadline' }
    : job;

/** Job data holds ids only: never secrets, never message text (the reply waits in the run's inbox). */
export const RunJob = z.preprocess(
  renamedKind,
  z.discriminatedUnion('kind', [
    /** Begin a queued run. */
    z.object({ kind: z.literal('start'), runId: z.string() }),
    /** A reply is in the run's inbox. */
    z.object({ kind: z.literal('resume'), runId: z.string() }),
    /** The deadline of wait number `waitSeq` passed: a reply's time limit, or a Wait's end; see `timers.ts`. */
    z.object({ kind: z.literal('deadline'), runId: z.string(), waitSeq: z.number().int() }),
  ]),
);
export type RunJob = z.infer<typeof RunJob>;

export interface RetryPolicy {
  /** Executions of a job whose step fails with a retryable error, first one included. */
  attempts: number;
  /** First backoff delay; doubles at each retry. */
  backoffMs: number;
}

/** The BullMQ queue that carries run jobs; job ids make enqueuing idempotent. */
export class RunQueue {
  readonly queue: Queue;

  constructor(
    connection: Redis,
    bullPrefix: string,
    private readonly retry: RetryPolicy,
    onError: (error: Error) => void,
  ) {
    // Nothing reads the queue's event stream (no QueueEvents): keep it short.
    this.queue = new Queue(RUN_QUEUE, { connection, prefix: bullPrefix, streams: { events: { maxLen: 100 } } });
    this.queue.on('error', (error) => onError(error));
  }

  private options(jobId: string): JobsOptions {
    return {
      jobId,
      attempts: this.retry.attempts,
      backoff: { type: 'exponential', delay: this.retry.backoffMs },
      removeOnComplete: true,
      removeOnFail: { count: 1_000, age: 7 * 86_400 },
    };
  }

  async start(runId: string): Promise<void> {
    await this.queue.add('start', { kind: 'start', runId } satisfies RunJob, this.options(startJobId(runId)));
  }

  /**
   * `start` for a run found without a job: a failed start job keeps its id (`removeOnFail`),
   * which would make adding a no-op, so it goes first. A start job of a running run continues
   * it from its recorded position (`Interpreter.start`).
   */
  async startAgain(runId: string): Promise<void> {
    const jobId = startJobId(runId);
    if ((await this.queue.getJobState(jobId)) === 'failed') await this.queue.remove(jobId);
    await this.start(runId);
  }

  /**
   * Whether the run's start job, or the deadline job of its wait `waitSeq`, is queued or active.
   * Resume jobs have ids of their own and are not found here.
   */
  async hasLiveJob(runId: string, waitSeq: number): Promise<boolean> {
    const jobIds = [startJobId(runId), ...(waitSeq > 0 ? [deadlineJobId(runId, waitSeq)] : [])];
    const states = await Promise.all(jobIds.map((jobId) => this.queue.getJobState(jobId)));
    return states.some((state) => liveStates.has(state));
  }

  async resume(runId: string): Promise<void> {
    await this.queue.add('resume', { kind: 'resume', runId } satisfies RunJob, this.options(`resume-${randomUUID()}`));
  }

  /** The deadline of wait `waitSeq` passed; enqueued once per wait by whichever worker polls first. */
  async deadline(runId: string, waitSeq: number): Promise<void> {
    await this.queue.add(
      'deadline',
      { kind: 'deadline', runId, waitSeq } satisfies RunJob,
      this.options(deadlineJobId(runId, waitSeq)),
    );
  }

  async depth(): Promise<Record<'waiting' | 'active' | 'delayed', number>> {
    const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed');
    return { waiting: counts.waiting ?? 0, active: counts.active ?? 0, delayed: counts.delayed ?? 0 };
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
