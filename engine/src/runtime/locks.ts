import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LuaScript } from '../redis/lua-script.ts';
import { type Command, flattenCommands } from './commands.ts';
import { runRecordScript } from './run-record.ts';

export type { Command };

const release = new LuaScript('lock-release');
const extend = new LuaScript('lock-extend');
/** Every write of a run: the commands, applied only while the lock holds the job's token. */
const fenced = runRecordScript('commands', 'lock-fenced-write');
const acquireAndRead = new LuaScript('lock-acquire-and-read');

export class LockLostError extends Error {
  override readonly name = 'LockLostError';
  constructor(runId: string) {
    super(`Lost the lock of run ${runId} (another worker took it over); the job will be retried.`);
  }
}

/** A held per-run lock: kept alive while the job works, fencing every write of the run. */
export class HeldLock {
  private readonly timer: NodeJS.Timeout;
  private lost = false;

  constructor(
    private readonly redis: Redis,
    readonly runId: string,
    private readonly key: string,
    private readonly token: string,
    ttlMs: number,
    onLost: () => void,
  ) {
    this.timer = setInterval(
      () => {
        extend.run(redis, [key], [token, ttlMs]).then(
          (ok) => {
            if (ok !== 1) {
              this.lost = true;
              onLost();
            }
          },
          () => {},
        );
      },
      Math.max(50, Math.floor(ttlMs / 3)),
    );
    this.timer.unref();
  }

  /** Applies `commands` atomically, or throws `LockLostError` without applying any. */
  async write(commands: Command[]): Promise<void> {
    if (this.lost) throw new LockLostError(this.runId);
    const { keys, args } = flattenCommands(commands);
    const ok = await fenced.run(this.redis, [this.key, ...keys], [this.token, '', ...args]);
    if (ok !== 1) {
      this.lost = true;
      throw new LockLostError(this.runId);
    }
  }

  /** `write`, then the head of the list at `peekKey` (null when empty), read in the same atomic step. */
  async writeAndPeek(commands: Command[], peekKey: string): Promise<string | null> {
    if (this.lost) throw new LockLostError(this.runId);
    const { keys, args } = flattenCommands(commands);
    const result = await fenced.run(this.redis, [this.key, peekKey, ...keys], [this.token, '1', ...args]);
    if (!Array.isArray(result) || result[0] !== 1) {
      this.lost = true;
      throw new LockLostError(this.runId);
    }
    return typeof result[1] === 'string' ? result[1] : null;
  }

  /** Stops keeping the lock alive without releasing it: what a dying process leaves behind. */
  abandon(): void {
    this.lost = true;
    clearInterval(this.timer);
  }

  async release(): Promise<void> {
    clearInterval(this.timer);
    await release.run(this.redis, [this.key], [this.token]);
  }
}

/**
 * Mutual exclusion per run across workers: a resume job and a deadline job of the same run are
 * serialized. The TTL bounds how long a crashed holder blocks the run.
 */
export class RunLocks {
  constructor(
    private readonly redis: Redis,
    private readonly keyOf: (runId: string) => string,
    private readonly ttlMs: number,
  ) {}

  /** The lock, or null when another job holds it. */
  async tryAcquire(runId: string, onLost: () => void = () => {}): Promise<HeldLock | null> {
    const token = randomUUID();
    const key = this.keyOf(runId);
    const ok = await this.redis.set(key, token, 'PX', this.ttlMs, 'NX');
    return ok === 'OK' ? new HeldLock(this.redis, runId, key, token, this.ttlMs, onLost) : null;
  }

  /**
   * `tryAcquire`, reading `key` (the run's record) once the lock is held, in one round trip:
   * null when another job holds the lock, else the lock and the value (null when absent).
   */
  async tryAcquireAndRead(
    runId: string,
    key: string,
    onLost: () => void,
  ): Promise<{ lock: HeldLock; value: string | null } | null> {
    const token = randomUUID();
    const lockKey = this.keyOf(runId);
    const result = await acquireAndRead.run(this.redis, [lockKey, key], [token, this.ttlMs]);
    if (!Array.isArray(result) || result[0] !== 1) return null;
    const lock = new HeldLock(this.redis, runId, lockKey, token, this.ttlMs, onLost);
    return { lock, value: typeof result[1] === 'string' ? result[1] : null };
  }

  /** Waits up to `waitMs` for the lock (API calls such as cancel, which have no job to delay). */
  async acquire(runId: string, waitMs: number): Promise<HeldLock | null> {
    const until = Date.now() + waitMs;
    for (;;) {
      const lock = await this.tryAcquire(runId);
      if (lock || Date.now() >= until) return lock;
      await new Promise((resolve) => setTimeout(resolve, 25 + Math.random() * 50));
    }
  }
}
