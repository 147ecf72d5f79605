import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Password hashes with Node's built-in scrypt (memory-hard, no native add-on to build). The
 * parameters are stored with each hash (`scrypt$<N>$<r>$<p>$<salt>$<key>`, base64url), so
 * raising them later keeps old hashes checkable.
 */

/** N=2^15, r=8, p=1: 32 MiB and about 100 ms per hash, OWASP's floor for scrypt. */
export const DEFAULT_PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 64;

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Whether `password` is the one hashed; false for a hash of another shape. Constant-time compare. */
export async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (![params.N, params.r, params.p].every(Number.isSafeInteger)) return false;
  const expected = Buffer.from(key, 'base64url');
  const presented = await derive(password, Buffer.from(salt, 'base64url'), params, expected.length);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

function derive(password: string, salt: Buffer, params: ScryptParams, length = KEY_BYTES): Promise<Buffer> {
  // Node refuses more than 32 MiB by default, exactly what N=2^15, r=8 needs: room for it and more.
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, length, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

let dummy: Promise<string> | undefined;
/**
 * A hash of no one's password: an unknown e-mail is checked against it, so a sign-in takes as
 * long whether or not the account exists.
 */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  return dummy;
}
