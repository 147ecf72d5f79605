import type { Redis } from 'ioredis';
import { z } from 'zod';
import { type ApiKeyCreated, type ApiKeyInput, ApiKeySummary } from '../contract/accounts.ts';
import { notFound } from '../errors.ts';
import { mintKey } from './api-key-token.ts';

/** A named key as stored: its summary without the use time (kept apart), and the secret's hash. */
export const StoredKey = ApiKeySummary.omit({ lastUsedAt: true }).extend({ secretHash: z.string() });
export type StoredKey = z.infer<typeof StoredKey>;

export interface RevokedKey {
  key: ApiKeySummary;
  /** False when it was revoked before. */
  revokedNow: boolean;
}

/**
 * Named API keys in two Redis hashes: `apikeys` (id → the record's JSON, the secret only as its
 * SHA-256) and `apikeys:used` (id → last use, ms), so noting a use never rewrites a record.
 * Revoking keeps the record, with `revokedAt`, for the list and the audit log.
 */
export class ApiKeyStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async create(input: ApiKeyInput, createdBy: string, now = Date.now()): Promise<ApiKeyCreated> {
    const minted = mintKey();
    const stored: StoredKey = {
      id: minted.id,
      name: input.name,
      role: input.role,
      prefix: minted.prefix,
      createdAt: now,
      createdBy,
      revokedAt: null,
      secretHash: minted.secretHash,
    };
    // 64 random bits: a clash is not worth a retry loop, but must not overwrite a key.
    if ((await this.redis.hsetnx(this.recordsKey(), minted.id, JSON.stringify(stored))) !== 1) {
      throw new Error(`API key id ${minted.id} is taken; create the key again.`);
    }
    return { ...summaryOf(stored, null), key: minted.key };
  }

  /** Newest first, revoked keys included. */
  async list(): Promise<ApiKeySummary[]> {
    const [records, used] = await Promise.all([
      this.redis.hgetall(this.recordsKey()),
      this.redis.hgetall(this.usedKey()),
    ]);
    return Object.entries(records)
      .map(([id, json]) => summaryOf(parse(json), numberOrNull(used[id])))
      .sort((a, b) => b.createdAt - a.createdAt);
  }

  /** One read: what a call presenting this key's id is checked against. */
  async find(id: string): Promise<StoredKey | undefined> {
    const json = await this.redis.hget(this.recordsKey(), id);
    return json === null ? undefined : parse(json);
  }

  /**
   * Marks the key revoked; NOT_FOUND for an unknown id. A second revoke keeps the first time
   * (`revokedNow` false), so the audit log records one revocation.
   */
  async revoke(id: string, now = Date.now()): Promise<RevokedKey> {
    const stored = await this.find(id);
    if (!stored) throw notFound('API key', id);
    const revoked = { ...stored, revokedAt: stored.revokedAt ?? now };
    if (stored.revokedAt === null) await this.redis.hset(this.recordsKey(), id, JSON.stringify(revoked));
    const key = summaryOf(revoked, numberOrNull(await this.redis.hget(this.usedKey(), id)));
    return { key, revokedNow: stored.revokedAt === null };
  }

  async noteUse(id: string, at: number): Promise<void> {
    await this.redis.hset(this.usedKey(), id, String(at));
  }

  private recordsKey = () => `${this.prefix}apikeys`;
  private usedKey = () => `${this.prefix}apikeys:used`;
}

/** Built field by field, so a secret's hash cannot reach an answer whatever the record holds. */
function summaryOf(stored: StoredKey, lastUsedAt: number | null): ApiKeySummary {
  const { id, name, role, prefix, createdAt, createdBy, revokedAt } = stored;
  return { id, name, role, prefix, createdAt, createdBy, lastUsedAt, revokedAt };
}

const parse = (json: string): StoredKey => StoredKey.parse(JSON.parse(json));

function numberOrNull(value: string | null | undefined): number | null {
  const parsed = Number(value);
  return value === null || value === undefined || !Number.isFinite(parsed) ? null : parsed;
}
