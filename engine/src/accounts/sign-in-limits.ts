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

  /** TOO_MANY_SIGN_INS (with `retryAfterSeconds`) when either count is at its limit. */
  async check(email: string, address: string): Promise<void> {
    const keys = [this.accountKey(email), this.addressKey(address)];
    const [account, byAddress] = await this.redis.mget(...keys);
    const over = [Number(account) >= this.limits.perAccount, Number(byAddress) >= this.limits.perAddress];
    const blocked = keys.filter((_key, index) => over[index]);
    if (blocked.length === 0) return;
    const waits = await Promise.all(blocked.map((key) => this.redis.pttl(key)));
    const retryAfterSeconds = Math.max(1, Math.ceil(Math.max(...waits, 1_000) / 1000));
    throw new AppError('TOO_MANY_SIGN_INS', retryAfterSeconds, { retryAfterSeconds });
  }

  async failed(email: string, address: string): Promise<void> {
    const batch = this.redis.multi();
    for (const key of [this.accountKey(email), this.addressKey(address)]) {
      batch.incr(key).pexpire(key, this.limits.windowMs, 'NX');
    }
    await batch.exec();
  }

  /** A right password clears the account's count (not the address's: one good account must not unlock guessing others). */
  async succeeded(email: string): Promise<void> {
    await this.redis.del(this.accountKey(email));
  }

  private accountKey = (email: string) =>
    `${this.prefix}sign-in-failures:account:${createHash('sha256').update(email).digest('hex')}`;
  private addressKey = (address: string) => `${this.prefix}sign-in-failures:address:${address}`;
}
