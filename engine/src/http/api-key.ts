import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Checks an `Authorization: Bearer <key>` header against the configured key. Both sides are
 * hashed first so the comparison is constant-time and does not leak the key's length.
 */
export function bearerMatches(expectedKey: string, authorization: string | undefined): boolean {
  const match = authorization?.match(/^Bearer[ \t]+(\S+)\s*$/i);
  if (!match?.[1]) return false;
  return timingSafeEqual(digest(match[1]), digest(expectedKey));
}

const digest = (value: string) => createHash('sha256').update(value).digest();
