import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './test-app.ts';

/**
 * Behind a reverse proxy every request comes from the proxy's address: `TRUST_PROXY` names the
 * proxies whose forwarded headers are believed, so sign-in limits count each client, and only
 * those proxies can say who the client is. No request leaves the process (inject).
 */

const PROXY = '127.0.0.9';
const limits = { perAccount: 100, perAddress: 3, windowMs: 60_000 };

const signIn = (t: TestApp, i: number, from: { remoteAddress: string; forwardedFor?: string; proto?: string }) =>
  t.app.inject({
    method: 'POST',
    url: '/api/session',
    remoteAddress: from.remoteAddress,
    headers: {
      ...(from.forwardedFor ? { 'x-forwarded-for': from.forwardedFor } : {}),
      ...(from.proto ? { 'x-forwarded-proto': from.proto } : {}),
    },
    payload: { email: `nobody${i}@example.com`, password: 'a wrong password' },
  });

describe('TRUST_PROXY', () => {
  let trusting: TestApp;
  let plain: TestApp;
  beforeAll(async () => {
    [trusting, plain] = await Promise.all([
      startTestApp({ app: { trustProxy: [PROXY] }, runtime: { signInLimits: limits } }),
      startTestApp({ runtime: { signInLimits: limits } }),
    ]);
  });
  afterAll(() => Promise.all([trusting?.close(), plain?.close()]));

  it('counts failed sign-ins per client behind a trusted proxy, not per proxy', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await signIn(trusting, i, { remoteAddress: PROXY, forwardedFor: '198.51.100.7' })).statusCode).toBe(401);
    }
    expect((await signIn(trusting, 3, { remoteAddress: PROXY, forwardedFor: '198.51.100.7' })).statusCode).toBe(429);
    // Another client through the same proxy still has its own tries.
    expect((await signIn(trusting, 4, { remoteAddress: PROXY, forwardedFor: '198.51.100.8' })).statusCode).toBe(401);
  });

  it('ignores forwarded headers from an address that is not a trusted proxy', async () => {
    const stranger = '127.0.0.23';
    for (let i = 0; i < 3; i++) {
      await signIn(trusting, 10 + i, { remoteAddress: stranger, forwardedFor: `203.0.113.${i}` });
    }
    // Claiming yet another client does not reset the stranger's own count.
    expect((await signIn(trusting, 13, { remoteAddress: stranger, forwardedFor: '203.0.113.99' })).statusCode).toBe(
      429,
    );
  });

  it('believes no proxy unless told: without TRUST_PROXY the socket is the client', async () => {
    for (let i = 0; i < 3; i++) await signIn(plain, i, { remoteAddress: PROXY, forwardedFor: `192.0.2.${i}` });
    expect((await signIn(plain, 3, { remoteAddress: PROXY, forwardedFor: '192.0.2.50' })).statusCode).toBe(429);
  });
});
