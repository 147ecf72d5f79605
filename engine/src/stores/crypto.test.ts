import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DecryptionError, decrypt, encrypt } from './crypto.ts';

const key = randomBytes(32);

describe('encrypt / decrypt', () => {
  it('round-trips text, with a fresh IV each time', () => {
    const secret = '-----BEGIN PRIVATE KEY-----\nabc€\n-----END PRIVATE KEY-----\n';
    const first = encrypt(key, secret);
    const second = encrypt(key, secret);
    expect(first).toMatch(/^v1:[\w-]+:[\w-]+:[\w-]+$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain('PRIVATE KEY');
    expect(decrypt(key, first)).toBe(secret);
    expect(decrypt(key, second)).toBe(secret);
  });

  it('detects a tampered ciphertext', () => {
    const [version, iv, tag, data] = encrypt(key, 'hello world').split(':');
    const flipped = Buffer.from(data ?? '', 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => decrypt(key, [version, iv, tag, flipped.toString('base64url')].join(':'))).toThrow(DecryptionError);
  });

  it('refuses a wrong key with a message naming ENCRYPTION_KEY', () => {
    const ciphertext = encrypt(key, 'hello');
    expect(() => decrypt(randomBytes(32), ciphertext)).toThrow(/ENCRYPTION_KEY/);
  });

  it('binds the ciphertext to its associated data', () => {
    const ciphertext = encrypt(key, 'hello', 'connection-a');
    expect(decrypt(key, ciphertext, 'connection-a')).toBe('hello');
    expect(() => decrypt(key, ciphertext, 'connection-b')).toThrow(DecryptionError);
  });

  it('rejects malformed values and keys of the wrong size', () => {
    expect(() => decrypt(key, 'v2:a:b:c')).toThrow(/unknown format "v2"/);
    expect(() => decrypt(key, 'v1:abc')).toThrow(/malformed/);
    expect(() => encrypt(randomBytes(16), 'x')).toThrow(/32 bytes/);
  });
});
