import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The text of a named API key: `cfk_<id>_<secret>`, the id (16 hex characters) naming the
 * stored record so a call costs one lookup, the secret 32 random bytes (base64url). Only the
 * secret's SHA-256 is stored: with 256 bits of entropy no slow hash is needed, as nothing
 * could be guessed against it.
 */
const KEY_PATTERN = /^cfk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface MintedKey {
  id: string;
  /** The whole key, shown once. */
  key: string;
  /** `cfk_<id>`: tells keys apart in a config file, and holds nothing secret. */
  prefix: string;
  secretHash: string;
}

export function mintKey(): MintedKey {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, key: `cfk_${id}_${secret}`, prefix: `cfk_${id}`, secretHash: hashSecret(secret) };
}

/** The id and secret of a token shaped like a named key; undefined for anything else (the install's key among them). */
export function parseKey(token: string): { id: string; secret: string } | undefined {
  const match = KEY_PATTERN.exec(token);
  return match?.[1] && match[2] ? { id: match[1], secret: match[2] } : undefined;
}

/** Constant-time: how much of a guess matched says nothing. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const stored = Buffer.from(storedHash, 'hex');
  const presented = sha256(secret);
  return stored.length === presented.length && timingSafeEqual(stored, presented);
}

const hashSecret = (secret: string) => sha256(secret).toString('hex');

/** Whether a presented key is `expected` (the install's `API_KEY`): both hashed first, so the compare is constant-time and does not leak the length. */
export function sameKey(expected: string, presented: string): boolean {
  return timingSafeEqual(sha256(expected), sha256(presented));
}

const sha256 = (value: string) => createHash('sha256').update(value).digest();
