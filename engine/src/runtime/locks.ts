import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LuaScript } from '../stores/lua-script.ts';

/** One Redis command, as strings: `['SET', key, value]`. */
export type Command = [string, ...string[]];

const release = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`);

const extend = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`);

/**
 * Runs the commands atomically only while the lock still holds this token: a worker that lost
 * its lock (paused too long, or its run was taken over) can no longer write the run.
 */
const fenced = new LuaScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
for _, command in ipairs(cjson.decode(ARGV[2])) do redis.call(unpack(command)) end
return 1`);

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
    const ok = await fenced.run(this.redis, [this.key], [this.token, JSON.stringify(commands)]);
    if (ok !== 1) {
      this.lost = true;
      throw new LockLostError(this.runId);
    }
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
 * Mutual exclusion per run across workers: a reply job and a timeout job of the same run are
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
