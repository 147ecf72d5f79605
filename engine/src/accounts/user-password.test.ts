import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS, hashPassword, passwordMatches } from './user-password.ts';

describe('password hashes', () => {
  it('hash with scrypt N=2^15, r=8, p=1, a 16-byte salt and a 64-byte key, stored with the parameters', async () => {
    const hash = await hashPassword('correct horse battery staple');
    const [scheme, n, r, p, salt, key] = hash.split('$');
    expect([scheme, Number(n), Number(r), Number(p)]).toEqual(['scrypt', 2 ** 15, 8, 1]);
    expect(Buffer.from(salt ?? '', 'base64url')).toHaveLength(16);
    expect(Buffer.from(key ?? '', 'base64url')).toHaveLength(64);
    expect(hash).not.toContain('correct horse');
    // A salt of its own each time.
    expect(await hashPassword('correct horse battery staple')).not.toBe(hash);
  });

  it('check a password against its hash, whatever parameters the hash was made with', async () => {
    const current = await hashPassword('correct horse battery staple');
    expect(await passwordMatches('correct horse battery staple', current)).toBe(true);
    expect(await passwordMatches('correct horse battery stapl', current)).toBe(false);
    // Parameters raised later: hashes made before keep working.
    const raised = await hashPassword('another password', { ...DEFAULT_PARAMS, N: 2 ** 16 });
    expect(raised.startsWith('scrypt$65536$8$1$')).toBe(true);
    expect(await passwordMatches('another password', raised)).toBe(true);
  });

  it('take a hash of another shape for a wrong password', async () => {
    for (const stored of ['', 'bcrypt$x', 'scrypt$x$8$1$AAAA$AAAA', 'scrypt$32768$8$1$$']) {
      expect(await passwordMatches('anything', stored), stored).toBe(false);
    }
  });
});
