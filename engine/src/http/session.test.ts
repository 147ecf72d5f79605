import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './test-app.ts';
import { browser, PASSWORD, sessionOf, signedInUser, type TestUser } from './test-users.ts';

/** Signing in and out, the session cookie, and CSRF, through the real app on the real Redis. */

const signIn = (t: TestApp, payload: object, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/session', payload, headers });
const me = (t: TestApp, cookie: string) => t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });

/** Each limit test starts from no failures. */
async function forgetFailures(t: TestApp): Promise<void> {
  const keys = await t.redis.keys(`${t.prefix}sign-in-failures:*`);
  if (keys.length > 0) await t.redis.del(...keys);
}

describe('signing in', () => {
  let t: TestApp;
  let ana: TestUser;
  beforeAll(async () => {
    t = await startTestApp({ runtime: { signInLimits: { perAccount: 3, perAddress: 8, windowMs: 60_000 } } });
    ana = await signedInUser(t, 'editor', 'ana@example.com');
  });
  afterAll(() => t.close());

  it('signs in with the right password: the cookie is HttpOnly, SameSite=Lax, Path=/, not Secure over http', async () => {
    const answer = await signIn(t, { email: 'ANA@example.com ', password: PASSWORD });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ kind: 'user', id: ana.user.id, name: 'Editor person', role: 'editor' });
    const cookie = String(answer.headers['set-cookie']);
    expect(cookie).toMatch(/^cf_session=[A-Za-z0-9_-]{43}; /);
    expect(cookie.split('; ')).toEqual(expect.arrayContaining(['Path=/', 'HttpOnly', 'SameSite=Lax']));
    expect(cookie).not.toContain('Secure');
    expect(answer.headers['cache-control']).toBe('no-store');
    expect((await me(t, sessionOf(answer))).json()).toMatchObject({ kind: 'user', role: 'editor' });
  });

  it('answers a wrong password and an unknown e-mail in the same words, after a hash of about the same time', async () => {
    const timed = async (payload: object) => {
      const started = performance.now();
      const answer = await signIn(t, payload);
      return { answer, ms: performance.now() - started };
    };
    const wrong = await timed({ email: 'ana@example.com', password: 'not the password' });
    const unknown = await timed({ email: 'nobody@example.com', password: 'not the password' });
    expect(wrong.answer.statusCode).toBe(401);
    expect(unknown.answer.statusCode).toBe(401);
    expect(unknown.answer.body).toBe(wrong.answer.body);
    expect(wrong.answer.json()).toEqual({ code: 'SIGN_IN_FAILED', message: 'Wrong e-mail or password.' });
    // The unknown e-mail is checked against a dummy hash: no fast path tells it apart.
    expect(unknown.ms).toBeGreaterThan(wrong.ms / 3);
    await forgetFailures(t);
  });

  it('refuses further tries for an account past its limit with 429 and Retry-After, the right password too', async () => {
    for (let i = 0; i < 3; i++)
      expect((await signIn(t, { email: 'ana@example.com', password: 'guess' })).statusCode).toBe(401);
    const limited = await signIn(t, { email: 'ana@example.com', password: PASSWORD });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(50);
    expect(limited.json().message).toBe(
      'Too many failed sign-ins: try again in 1 minute, or ask an owner for a password reset link.',
    );
    // An unknown e-mail is limited alike: the 429 tells nobody whether it has an account.
    for (let i = 0; i < 3; i++) await signIn(t, { email: 'ghost@example.com', password: 'guess' });
    expect((await signIn(t, { email: 'ghost@example.com', password: 'guess' })).body).toBe(limited.body);
    await forgetFailures(t);
  });

  it('refuses an address past its limit, whatever the e-mail', async () => {
    for (let i = 0; i < 8; i++) await signIn(t, { email: `someone${i}@example.com`, password: 'guess' });
    const limited = await signIn(t, { email: 'fresh@example.com', password: 'guess' });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    await forgetFailures(t);
  });

  it('gives a new session id at every sign-in, ending the one the browser had (no fixation)', async () => {
    const bo = await signedInUser(t, 'viewer', 'bo@example.com');
    const planted = 'cf_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    const fresh = await signIn(t, { email: 'bo@example.com', password: PASSWORD }, { cookie: planted });
    expect(sessionOf(fresh)).not.toBe(planted);
    expect((await me(t, planted)).statusCode).toBe(401);
    // Signing in again over a live session replaces it too.
    const again = await signIn(t, { email: 'bo@example.com', password: PASSWORD }, { cookie: sessionOf(fresh) });
    expect(sessionOf(again)).not.toBe(sessionOf(fresh));
    expect((await me(t, sessionOf(fresh))).statusCode).toBe(401);
    expect((await me(t, sessionOf(again))).statusCode).toBe(200);
    expect((await me(t, bo.cookie)).statusCode).toBe(200);
  });

  it('signs out: the session ends on the server and the cookie is cleared', async () => {
    const cy = await signedInUser(t, 'agent');
    const out = await t.app.inject({ method: 'DELETE', url: '/api/session', headers: browser(cy.cookie) });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^cf_session=; .*Max-Age=0/);
    const after = await me(t, cy.cookie);
    expect(after.statusCode).toBe(401);
    expect(after.json().message).toBe(
      'Your session has ended (signed out, expired, or the password changed): sign in again.',
    );
  });

  it('refuses signing in from another site', async () => {
    const answer = await signIn(
      t,
      { email: 'ana@example.com', password: PASSWORD },
      { origin: 'https://evil.example' },
    );
    expect(answer.statusCode).toBe(403);
    expect(answer.headers['set-cookie']).toBeUndefined();
  });
});

describe('signed-in calls that change something (CSRF)', () => {
  let t: TestApp;
  let owner: TestUser;
  const invite = (headers: Record<string, string>, email: string) =>
    t.app.inject({ method: 'POST', url: '/api/users', headers, payload: { email, name: 'X', role: 'viewer' } });
  beforeAll(async () => {
    t = await startTestApp({ app: { publicUrl: 'https://flows.example.com' } });
    owner = await signedInUser(t, 'owner');
  });
  afterAll(() => t.close());

  it('refuses a call without Origin or Referer, or from another origin, in words', async () => {
    const none = await invite({ cookie: owner.cookie }, 'a@example.com');
    expect(none.statusCode).toBe(403);
    expect(none.json().message).toContain('must say where it comes from (Origin or Referer header)');
    for (const origin of [
      'https://evil.example',
      'http://localhost.evil.example',
      'null',
      'https://flows.example.com.evil.example',
    ]) {
      const answer = await invite({ cookie: owner.cookie, origin }, 'a@example.com');
      expect(answer.statusCode, origin).toBe(403);
      expect(answer.json().message, origin).toContain('not of this server');
    }
    const referer = await invite({ cookie: owner.cookie, referer: 'https://evil.example/page' }, 'a@example.com');
    expect(referer.statusCode).toBe(403);
    expect((await t.api('GET', '/api/users')).json()).toHaveLength(1);
  });

  it("accepts the server's own origin (its Host, or PUBLIC_URL), or a Referer of its pages", async () => {
    expect((await invite(browser(owner.cookie), 'b@example.com')).statusCode).toBe(201);
    expect(
      (await invite({ cookie: owner.cookie, origin: 'https://flows.example.com' }, 'c@example.com')).statusCode,
    ).toBe(201);
    const referer = await invite({ cookie: owner.cookie, referer: 'http://localhost/#/users' }, 'd@example.com');
    expect(referer.statusCode).toBe(201);
  });

  it('lets reads through without Origin, and leaves bearer calls alone', async () => {
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/users', headers: { cookie: owner.cookie } })).statusCode,
    ).toBe(200);
    expect((await t.api('POST', '/api/users', { email: 'e@example.com', name: 'E', role: 'viewer' })).statusCode).toBe(
      201,
    );
  });

  it('makes the cookie Secure when PUBLIC_URL is https (behind a TLS proxy)', async () => {
    const answer = await t.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { email: owner.email, password: PASSWORD },
    });
    expect(String(answer.headers['set-cookie']).split('; ')).toContain('Secure');
  });
});
