import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { AccountLinkInfo } from '../contract/accounts.ts';

/** How long a one-time link works. */
export const LINK_TTL_MS = 24 * 3_600_000;

/** What a link lets its holder do: create the owner (first start), accept an invitation, or set a new password. */
export const LinkKind = AccountLinkInfo.shape.kind;
export type LinkKind = z.infer<typeof LinkKind>;

const StoredLink = z.object({ kind: LinkKind, userId: z.string().nullable(), expiresAt: z.number() });
export type StoredLink = z.infer<typeof StoredLink>;

/** Where the editor opens each kind of link (the token goes in the fragment, which no server log sees). */
const fragments: Record<LinkKind, string> = { 'first-start': 'welcome', invite: 'invite', reset: 'reset' };

/**
 * One-time links in Redis as `account-links:<SHA-256 of the token>` (the token itself is never
 * stored), expiring with the link. A newer invitation or reset for the same user replaces the
 * older (`account-links:latest:<kind>:<user>` points at it), so only the last one handed out
 * works; every first-start link printed (each server process prints one) works until the owner exists.
 */
export class AccountLinks {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly publicUrl: string,
  ) {}

  async create(kind: LinkKind, userId: string | null, now = Date.now()): Promise<{ url: string; expiresAt: number }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = now + LINK_TTL_MS;
    const hash = hashOf(token);
    const batch = this.redis
      .multi()
      .set(this.linkKey(hash), JSON.stringify({ kind, userId, expiresAt }), 'PX', LINK_TTL_MS);
    if (userId !== null) {
      const latest = this.latestKey(kind, userId);
      const previous = await this.redis.get(latest);
      if (previous) batch.del(this.linkKey(previous));
      batch.set(latest, hash, 'PX', LINK_TTL_MS);
    }
    await batch.exec();
    return { url: `${this.publicUrl.replace(/\/+$/, '')}/#/${fragments[kind]}/${token}`, expiresAt };
  }

  /** What a token is for, without using it up; undefined when unknown, used or expired. */
  async peek(token: string, now = Date.now()): Promise<StoredLink | undefined> {
    return live(await this.redis.get(this.linkKey(hashOf(token))), now);
  }

  /** Uses the link up (atomically: only one caller gets it); undefined when unknown, used or expired. */
  async consume(token: string, now = Date.now()): Promise<StoredLink | undefined> {
    return live(await this.redis.getdel(this.linkKey(hashOf(token))), now);
  }

  private linkKey = (hash: string) => `${this.prefix}account-links:${hash}`;
  private latestKey = (kind: LinkKind, userId: string) => `${this.prefix}account-links:latest:${kind}:${userId}`;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

function live(json: string | null, now: number): StoredLink | undefined {
  if (json === null) return undefined;
  const link = StoredLink.parse(JSON.parse(json));
  return link.expiresAt > now ? link : undefined;
}
