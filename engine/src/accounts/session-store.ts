import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

const HOUR_MS = 3_600_000;
/** A session lasts this long without use (`SESSION_TTL_HOURS`)… */
export const DEFAULT_SESSION_IDLE_HOURS = 12;
/** …and never longer than this from sign-in, however busy. */
export const SESSION_MAX_MS = 7 * 24 * HOUR_MS;
/** A session's expiry moves on only when this much would be gained: a busy session costs no write per call. */
const SLIDE_STEP_MS = 5 * 60_000;

export interface SessionTimes {
  idleMs: number;
  maxMs: number;
}

export interface Session {
  userId: string;
  createdAt: number;
  expiresAt: number;
}

/**
 * Signed-in sessions: the cookie holds 32 random bytes; Redis holds only their SHA-256, as
 * `sessions:<hash>` (user id, createdAt, expiresAt; the key expires with the session), and each
 * user's `users:<id>:sessions` set of hashes, so a password change or a deactivation ends them all.
 */
export class SessionStore {
  readonly times: SessionTimes;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    times: Partial<SessionTimes> = {},
  ) {
    this.times = { idleMs: times.idleMs ?? DEFAULT_SESSION_IDLE_HOURS * HOUR_MS, maxMs: times.maxMs ?? SESSION_MAX_MS };
  }

  /** A new session id (the cookie's value, never stored) for the user. */
  async create(userId: string, now = Date.now()): Promise<{ id: string; session: Session }> {
    const id = randomBytes(32).toString('base64url');
    const session = { userId, createdAt: now, expiresAt: now + Math.min(this.times.idleMs, this.times.maxMs) };
    const key = this.sessionKey(hashOf(id));
    await this.redis
      .multi()
      .hset(key, { userId, createdAt: session.createdAt, expiresAt: session.expiresAt })
      .pexpireat(key, session.expiresAt)
      .sadd(this.userKey(userId), hashOf(id))
      .pexpireat(this.userKey(userId), session.createdAt + this.times.maxMs)
      .exec();
    return { id, session };
  }

  /** The live session of a cookie's id, its expiry moved on by use; undefined when unknown or expired. */
  async touch(id: string, now = Date.now()): Promise<Session | undefined> {
    const key = this.sessionKey(hashOf(id));
    const fields = await this.redis.hgetall(key);
    const session = sessionOf(fields);
    if (!session || session.expiresAt <= now) return undefined;
    const slid = Math.min(now + this.times.idleMs, session.createdAt + this.times.maxMs);
    if (slid - session.expiresAt >= SLIDE_STEP_MS) {
      await this.redis.multi().hset(key, 'expiresAt', slid).pexpireat(key, slid).exec();
      session.expiresAt = slid;
    }
    return session;
  }

  /** Ends one session (signing out); nothing for an unknown id. */
  async end(id: string): Promise<void> {
    const hash = hashOf(id);
    const session = sessionOf(await this.redis.hgetall(this.sessionKey(hash)));
    await this.redis.del(this.sessionKey(hash));
    if (session) await this.redis.srem(this.userKey(session.userId), hash);
  }

  /** Ends every session of a user (a new password, a deactivation). */
  async endAll(userId: string): Promise<void> {
    const hashes = await this.redis.smembers(this.userKey(userId));
    if (hashes.length === 0) return;
    await this.redis
      .multi()
      .del(...hashes.map((hash) => this.sessionKey(hash)))
      .srem(this.userKey(userId), ...hashes)
      .exec();
  }

  private sessionKey = (hash: string) => `${this.prefix}sessions:${hash}`;
  private userKey = (userId: string) => `${this.prefix}users:${userId}:sessions`;
}

const hashOf = (id: string) => createHash('sha256').update(id).digest('hex');

function sessionOf(fields: Record<string, string>): Session | undefined {
  const { userId } = fields;
  const createdAt = Number(fields.createdAt);
  const expiresAt = Number(fields.expiresAt);
  if (!userId || !Number.isFinite(createdAt) || !Number.isFinite(expiresAt)) return undefined;
  return { userId, createdAt, expiresAt };
}
