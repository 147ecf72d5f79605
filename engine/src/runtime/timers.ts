import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { PeriodicTask } from './periodic-task.ts';
import type { RunQueue } from './queue.ts';

/** How many due timers one poll turns into jobs before polling again. */
const BATCH = 200;

/** The member of the timers sorted set naming wait `seq` of a run. */
export const timerMember = (runId: string, seq: number) => `${runId}|${seq}`;

function parseMember(member: string): { runId: string; waitSeq: number } | null {
  const at = member.lastIndexOf('|');
  const waitSeq = Number(member.slice(at + 1));
  return at > 0 && Number.isInteger(waitSeq) ? { runId: member.slice(0, at), waitSeq } : null;
}

/**
 * Deadlines of paused runs (reply timeouts, ends of delays) live in one sorted set, written in
 * the same atomic write as the pause itself (about 100 bytes per waiting run, where a delayed
 * BullMQ job costs about 900). Each worker polls it and turns due entries into `deadline` jobs;
 * the job id is derived from the wait, so workers polling together enqueue each once.
 */
export class TimerPoller {
  private readonly task: PeriodicTask;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly queue: RunQueue,
    intervalMs: number,
    logger: Logger,
  ) {
    this.task = new PeriodicTask(
      () => this.poll(),
      intervalMs,
      (error) => logger.error({ err: error }, 'could not fire due run timers'),
    );
  }

  start(): void {
    this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /** Enqueues every due timer; the entry is removed only after its job is in the queue. */
  async poll(): Promise<void> {
    for (;;) {
      const due = await this.redis.zrangebyscore(this.key, '-inf', Date.now(), 'LIMIT', 0, BATCH);
      for (const member of due) {
        const timer = parseMember(member);
        if (timer) await this.queue.deadline(timer.runId, timer.waitSeq);
      }
      if (due.length > 0) await this.redis.zrem(this.key, ...due);
      if (due.length < BATCH) return;
    }
  }
}
