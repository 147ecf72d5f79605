import type { Actor } from '../contract/accounts.ts';
import type { ApiKeyStore, StoredKey } from './api-key-store.ts';
import { parseKey, secretMatches } from './api-key-token.ts';

/** What a presented named key turned out to be. */
export type KeyCheck =
  | { kind: 'valid'; actor: Actor }
  | { kind: 'revoked'; name: string; prefix: string; revokedAt: number }
  /** Not shaped like a named key, no such key, or a wrong secret: told apart by nobody. */
  | { kind: 'unknown' };

export interface KeyCheckerOptions {
  /**
   * How long a key's record is trusted from memory (default 5 s): a key revoked in another
   * process stops working here within this time; in this process at once.
   */
  cacheMs?: number;
  /** Least time between two writes of a key's last use (default 60 s): a busy key costs no write per call. */
  noteUseEveryMs?: number;
  /** A failed last-use write costs the call nothing; it is only reported. */
  onNoteUseFailed?: (error: unknown, keyId: string) => void;
  now?: () => number;
}

/** Past this many remembered records, the memory starts over (random ids must not grow it without bound). */
const MAX_CACHED = 10_000;

/** Checks named keys against the store, one Redis read per key every few seconds at most. */
export class KeyChecker {
  private readonly cache = new Map<string, { record: StoredKey | undefined; until: number }>();
  private readonly notedAt = new Map<string, number>();
  private readonly cacheMs: number;
  private readonly noteUseEveryMs: number;
  private readonly now: () => number;

  constructor(
    private readonly store: ApiKeyStore,
    private readonly options: KeyCheckerOptions = {},
  ) {
    this.cacheMs = options.cacheMs ?? 5_000;
    this.noteUseEveryMs = options.noteUseEveryMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  async check(token: string): Promise<KeyCheck> {
    const parsed = parseKey(token);
    if (!parsed) return { kind: 'unknown' };
    const record = await this.record(parsed.id);
    if (!record || !secretMatches(parsed.secret, record.secretHash)) return { kind: 'unknown' };
    if (record.revokedAt !== null) {
      return { kind: 'revoked', name: record.name, prefix: record.prefix, revokedAt: record.revokedAt };
    }
    this.noteUse(record.id);
    return { kind: 'valid', actor: { kind: 'key', id: record.id, name: record.name, role: record.role } };
  }

  /** Drops what is remembered of a key, so this process sees its revocation on the next call. */
  forget(id: string): void {
    this.cache.delete(id);
  }

  private async record(id: string): Promise<StoredKey | undefined> {
    const now = this.now();
    const cached = this.cache.get(id);
    if (cached && cached.until > now) return cached.record;
    const record = await this.store.find(id);
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(id, { record, until: now + this.cacheMs });
    return record;
  }

  private noteUse(id: string): void {
    const now = this.now();
    const last = this.notedAt.get(id);
    if (last !== undefined && now - last < this.noteUseEveryMs) return;
    if (this.notedAt.size >= MAX_CACHED) this.notedAt.clear();
    this.notedAt.set(id, now);
    this.store.noteUse(id, now).catch((error: unknown) => this.options.onNoteUseFailed?.(error, id));
  }
}
