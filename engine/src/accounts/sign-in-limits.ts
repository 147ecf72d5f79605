import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { AppError } from '../errors.ts';

export interface SignInLimits {
  /** Failed sign-ins per e-mail (known or not) within the window. */
  perAccount: number;
  /** Failed sign-ins per client address within the window. */
  perAddress: number;
  windowMs: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = { perAccount: 5, perAddress: 20, windowMs: 15 * 60_000 };

/**
 * Counts failed sign-ins in Redis (`sign-in-failures:account:<SHA-256 of the e-mail>` and
 * `sign-in-failures:address:<ip>`, each expiring a window after its first failure), so password
 * guessing is slowed across processes. An e-mail without an account is counted like one with.
 */
export class SignInGuard {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS,
  ) {}

  /**
   * TOO_MANY_SIGN_INS (with `retryAfterSeconds`) when either count is at its limit. Without an
   * e-mail (a one-time link's token), only the address's.
   */
  async check(email: string | undefined, address: string): Promise<void> {
    const keys = this.keysOf(email, address);
    const counts = await this.redis.mget(...keys.map(([key]) => key));
    const blocked = keys.filter(([, limit], index) => Number(counts[index]) >= limit).map(([key]) => key);
    if (blocked.length === 0) return;
    const waits = await Promise.all(blocked.map((key) => this.redis.pttl(key)));
    const retryAfterSeconds = Math.max(1, Math.ceil(Math.max(...waits, 1_000) / 1000));
    throw new AppError('TOO_MANY_SIGN_INS', retryAfterSeconds, { retryAfterSeconds });
  }

  /** Counts a wrong password (or an unknown e-mail), or a one-time link token that does not work. */
  async failed(email: string | undefined, address: string): Promise<void> {
    const batch = this.redis.multi();
    for (const [key] of this.keysOf(email, address)) batch.incr(key).pexpire(key, this.limits.windowMs, 'NX');
    await batch.exec();
  }

  private keysOf(email: string | undefined, address: string): [key: string, limit: number][] {
    const byAddress: [string, number] = [this.addressKey(address), this.limits.perAddress];
    return email === undefined ? [byAddress] : [[this.accountKey(email), this.limits.perAccount], byAddress];
  }

  /** A right password clears the account's count (not the address's: one good account must not unlock guessing others). */
  async succeeded(email: string): Promise<void> {
    await this.redis.del(this.accountKey(email));
  }

  private accountKey = (email: string) =>
    `${this.prefix}sign-in-failures:account:${createHash('sha256').update(email).digest('hex')}`;
  private addressKey = (address: string) => `${this.prefix}sign-in-failures:address:${address}`;
}
