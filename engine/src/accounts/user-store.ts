import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { type Role, UserSummary } from '../contract/accounts.ts';
import { AppError, notFound } from '../errors.ts';

/** A user as stored: the summary's facts and the password's scrypt hash (null until an invitation is accepted). */
export const StoredUser = UserSummary.omit({ pending: true }).extend({ passwordHash: z.string().nullable() });
export type StoredUser = z.infer<typeof StoredUser>;

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  passwordHash: string | null;
}

/**
 * People's accounts in two Redis hashes: `users` (id → the record's JSON, the password only as
 * its scrypt hash) and `users:by-email` (lower-cased e-mail → id), which also makes an e-mail
 * belong to one account.
 */
export class UserStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** EMAIL_TAKEN when the e-mail has an account. */
  async create(input: NewUser, now = Date.now()): Promise<StoredUser> {
    const id = randomBytes(8).toString('hex');
    const user: StoredUser = { id, ...input, createdAt: now, lastSignInAt: null, deactivatedAt: null };
    if ((await this.redis.hsetnx(this.emailKey(), input.email, id)) !== 1) {
      // An index entry whose record was never written (a crash between the two writes) frees the e-mail.
      const holder = await this.redis.hget(this.emailKey(), input.email);
      if (holder !== null && (await this.find(holder))) throw new AppError('EMAIL_TAKEN', input.email);
      await this.redis.hset(this.emailKey(), input.email, id);
    }
    await this.redis.hset(this.recordsKey(), id, JSON.stringify(user));
    return user;
  }

  async find(id: string): Promise<StoredUser | undefined> {
    const json = await this.redis.hget(this.recordsKey(), id);
    return json === null ? undefined : parse(json);
  }

  async get(id: string): Promise<StoredUser> {
    const user = await this.find(id);
    if (!user) throw notFound('User', id);
    return user;
  }

  async findByEmail(email: string): Promise<StoredUser | undefined> {
    const id = await this.redis.hget(this.emailKey(), email);
    return id === null ? undefined : this.find(id);
  }

  /** Oldest first. */
  async list(): Promise<StoredUser[]> {
    const records = await this.redis.hvals(this.recordsKey());
    return records.map(parse).sort((a, b) => a.createdAt - b.createdAt);
  }

  async count(): Promise<number> {
    return this.redis.hlen(this.recordsKey());
  }

  /** Writes the record back (the e-mail never changes, so the index stays right). */
  async save(user: StoredUser): Promise<void> {
    await this.redis.hset(this.recordsKey(), user.id, JSON.stringify(user));
  }

  private recordsKey = () => `${this.prefix}users`;
  private emailKey = () => `${this.prefix}users:by-email`;
}

/** Built field by field, so a password hash cannot reach an answer whatever the record holds. */
export function summaryOf(user: StoredUser): UserSummary {
  const { id, email, name, role, createdAt, lastSignInAt, deactivatedAt } = user;
  return { id, email, name, role, createdAt, lastSignInAt, deactivatedAt, pending: user.passwordHash === null };
}

const parse = (json: string): StoredUser => StoredUser.parse(JSON.parse(json));
