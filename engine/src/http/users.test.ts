import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINK_TTL_MS } from '../accounts/user-links.ts';
import type { AccountLink, AuditPage, UserSummary } from '../contract/accounts.ts';
import { noteWorkflow, startTestApp, type TestApp } from './test-app.ts';
import { browser, PASSWORD, sessionOf, signedInUser, tokenOf } from './test-users.ts';

/** The owner's first start, invitations, resets, roles and deactivation, through the real app on the real Redis. */

const setPassword = (t: TestApp, payload: object) =>
  t.app.inject({ method: 'POST', url: '/api/account/password', payload });
const me = (t: TestApp, cookie: string) => t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
const signIn = (t: TestApp, email: string, password = PASSWORD) =>
  t.app.inject({ method: 'POST', url: '/api/session', payload: { email, password } });

describe("the owner's first start", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('keeps what was made before accounts: the first start links, the owner signs in and reads workflows, runs and connections', async () => {
    // An install from before accounts: a workflow, a test run and a connection made with the API key, no users.
    expect((await t.api('POST', '/api/workflows', noteWorkflow('before-users'))).statusCode).toBe(201);
    const run = (await t.api('POST', '/api/workflows/before-users/simulate', {})).json() as { runId: string };
    const connection = { id: 'crm-token', type: 'secret', name: 'CRM token', value: 'crm_live_upgrade_5e8b1f0a' };
    expect((await t.api('POST', '/api/connections', connection)).statusCode).toBe(201);
    const start = await t.runtime.api.users.startOwner();
    if (start.kind !== 'link') throw new Error(`expected a link, got ${start.kind}`);
    expect(start.link.url).toMatch(/^http:\/\/localhost:3000\/#\/welcome\/[A-Za-z0-9_-]{43}$/);
    expect(start.link.expiresAt - Date.now()).toBeGreaterThan(LINK_TTL_MS - 60_000);
    const token = tokenOf(start.link);

    const info = await t.app.inject({ method: 'GET', url: `/api/account/link/${token}` });
    expect(info.json()).toEqual({ kind: 'first-start' });
    const withoutName = await setPassword(t, { token, password: PASSWORD });
    expect(withoutName.statusCode).toBe(400);
    expect(withoutName.json().message).toContain('body.name and body.email');

    const created = await setPassword(t, { token, password: PASSWORD, name: 'Ana', email: 'Ana@Example.com' });
    expect(created.statusCode).toBe(200);
    expect(created.json()).toMatchObject({ kind: 'user', name: 'Ana', role: 'owner' });
    const cookie = sessionOf(created);
    const read = await t.app.inject({ method: 'GET', url: '/api/workflows/before-users', headers: { cookie } });
    expect(read.json()).toMatchObject({ id: 'before-users' });
    const runRead = await t.app.inject({ method: 'GET', url: `/api/runs/${run.runId}`, headers: { cookie } });
    expect(runRead.json()).toMatchObject({ id: run.runId, workflowId: 'before-users' });
    const connections = await t.app.inject({ method: 'GET', url: '/api/connections', headers: { cookie } });
    expect(connections.json()).toEqual([expect.objectContaining({ id: 'crm-token', name: 'CRM token' })]);
    // The install's key keeps working as an owner.
    expect((await t.api('GET', '/api/me')).json()).toMatchObject({ kind: 'install-key', role: 'owner' });

    const again = await setPassword(t, { token, password: PASSWORD, name: 'Eve', email: 'eve@example.com' });
    expect(again.statusCode).toBe(400);
    expect(again.json().code).toBe('LINK_INVALID');
    expect(await t.runtime.api.users.startOwner()).toEqual({ kind: 'exists' });
  });

  it('refuses a first-start link printed before the owner was made by another', async () => {
    const fresh = await startTestApp();
    try {
      const [first, second] = [await fresh.runtime.api.users.startOwner(), await fresh.runtime.api.users.startOwner()];
      if (first.kind !== 'link' || second.kind !== 'link') throw new Error('expected links');
      const owner = { password: PASSWORD, name: 'Ana', email: 'ana@example.com' };
      expect((await setPassword(fresh, { ...owner, token: tokenOf(second.link) })).statusCode).toBe(200);
      const late = await setPassword(fresh, { ...owner, email: 'eve@example.com', token: tokenOf(first.link) });
      expect(late.json().code).toBe('LINK_INVALID');
      expect((await fresh.api('GET', '/api/users')).json()).toHaveLength(1);
    } finally {
      await fresh.close();
    }
  });

  it('stores a link hashed, expiring in 24 hours, and treats it as used once past its time', async () => {
    const fresh = await startTestApp();
    try {
      const start = await fresh.runtime.api.users.startOwner();
      if (start.kind !== 'link') throw new Error('expected a link');
      const keys = await fresh.redis.keys(`${fresh.prefix}account-links:*`);
      expect(keys).toHaveLength(1);
      expect(keys[0]).not.toContain(tokenOf(start.link));
      expect(await fresh.redis.pttl(keys[0] ?? '')).toBeGreaterThan(LINK_TTL_MS - 60_000);
      // Redis drops it at expiry; a record read in its last instant is refused by its own time too.
      await fresh.redis.set(
        keys[0] ?? '',
        JSON.stringify({ kind: 'first-start', userId: null, expiresAt: Date.now() - 1 }),
      );
      const late = await setPassword(fresh, {
        token: tokenOf(start.link),
        password: PASSWORD,
        name: 'A',
        email: 'a@example.com',
      });
      expect(late.json().code).toBe('LINK_INVALID');
    } finally {
      await fresh.close();
    }
  });

  it('creates the owner from OWNER_EMAIL and OWNER_PASSWORD when no user exists, and prints no link', async () => {
    const fresh = await startTestApp();
    try {
      const start = await fresh.runtime.api.users.startOwner({ email: 'ops@example.com', password: PASSWORD });
      expect(start).toEqual({ kind: 'created', email: 'ops@example.com' });
      expect(await fresh.redis.keys(`${fresh.prefix}account-links:*`)).toEqual([]);
      const signedIn = await signIn(fresh, 'ops@example.com');
      expect(signedIn.json()).toMatchObject({ kind: 'user', name: 'Owner', role: 'owner' });
      // A later start with the variables still set changes nothing.
      expect(
        await fresh.runtime.api.users.startOwner({ email: 'ops@example.com', password: 'another password!' }),
      ).toEqual({
        kind: 'exists',
      });
    } finally {
      await fresh.close();
    }
  });
});

describe('links that do not work', () => {
  it('count as failed attempts of the address: past the limit, 429 with Retry-After, even for a good link', async () => {
    const t = await startTestApp({ runtime: { signInLimits: { perAccount: 5, perAddress: 3, windowMs: 60_000 } } });
    try {
      const start = await t.runtime.api.users.startOwner();
      if (start.kind !== 'link') throw new Error('expected a link');
      const info = (token: string) => t.app.inject({ method: 'GET', url: `/api/account/link/${token}` });
      expect((await info(tokenOf(start.link))).statusCode).toBe(200);
      for (const guess of ['a', 'b']) expect((await info(guess)).json().code).toBe('LINK_INVALID');
      expect((await setPassword(t, { token: 'c', password: PASSWORD })).json().code).toBe('LINK_INVALID');
      const limited = await info(tokenOf(start.link));
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(50);
      const owner = { token: tokenOf(start.link), password: PASSWORD, name: 'A', email: 'a@example.com' };
      expect((await setPassword(t, owner)).statusCode).toBe(429);
    } finally {
      await t.close();
    }
  });
});

describe("the owner's users page", () => {
  let t: TestApp;
  let owner: string;
  const owners = () => browser(owner);
  beforeAll(async () => {
    t = await startTestApp();
    owner = (await signedInUser(t, 'owner', 'owner@example.com')).cookie;
  });
  afterAll(() => t.close());

  it('invites by link: the person sets a password and is signed in with the role; the link works once', async () => {
    const invited = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: owners(),
      payload: { email: 'bo@example.com', name: 'Bo', role: 'editor' },
    });
    expect(invited.statusCode).toBe(201);
    const { user, link } = invited.json() as { user: UserSummary; link: AccountLink };
    expect(user).toMatchObject({ email: 'bo@example.com', role: 'editor', pending: true, lastSignInAt: null });
    expect(link.url).toMatch(/\/#\/invite\/[A-Za-z0-9_-]{43}$/);
    // Not signed in until the password is set.
    expect((await signIn(t, 'bo@example.com')).statusCode).toBe(401);

    const info = await t.app.inject({ method: 'GET', url: `/api/account/link/${tokenOf(link)}` });
    expect(info.json()).toEqual({ kind: 'invite', name: 'Bo', email: 'bo@example.com' });
    const short = await setPassword(t, { token: tokenOf(link), password: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.json().message).toContain('body.password');
    const accepted = await setPassword(t, { token: tokenOf(link), password: PASSWORD });
    expect(accepted.json()).toMatchObject({ kind: 'user', id: user.id, name: 'Bo', role: 'editor' });
    expect((await me(t, sessionOf(accepted))).json()).toMatchObject({ name: 'Bo', role: 'editor' });
    expect((await setPassword(t, { token: tokenOf(link), password: PASSWORD })).json().code).toBe('LINK_INVALID');

    const listed = (await t.api('GET', '/api/users')).json() as UserSummary[];
    expect(listed.find((entry) => entry.id === user.id)).toMatchObject({ pending: false });
    const again = await t.api('POST', '/api/users', { email: 'BO@example.com', name: 'Bo 2', role: 'viewer' });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain('bo@example.com already has an account');
  });

  it('resets a password by link: the new password works, the old one and every session end', async () => {
    const cy = await signedInUser(t, 'viewer', 'cy@example.com');
    const otherBrowser = sessionOf(await signIn(t, 'cy@example.com'));
    const reset = await t.app.inject({ method: 'POST', url: `/api/users/${cy.user.id}/reset-link`, headers: owners() });
    const link = reset.json() as AccountLink;
    expect(link.url).toMatch(/\/#\/reset\//);
    // A newer link replaces the older.
    const newer = (await t.api('POST', `/api/users/${cy.user.id}/reset-link`)).json() as AccountLink;
    expect((await setPassword(t, { token: tokenOf(link), password: 'a new password 1' })).json().code).toBe(
      'LINK_INVALID',
    );

    const done = await setPassword(t, { token: tokenOf(newer), password: 'a new password 2' });
    expect(done.statusCode).toBe(200);
    expect((await me(t, cy.cookie)).statusCode).toBe(401);
    expect((await me(t, otherBrowser)).statusCode).toBe(401);
    expect((await me(t, sessionOf(done))).statusCode).toBe(200);
    expect((await signIn(t, 'cy@example.com')).statusCode).toBe(401);
    expect((await signIn(t, 'cy@example.com', 'a new password 2')).statusCode).toBe(200);
  });

  it('changes a role at once, deactivates (ending sessions, refusing sign-in) and reactivates, audited', async () => {
    const dee = await signedInUser(t, 'viewer', 'dee@example.com');
    const patch = (payload: object) =>
      t.app.inject({ method: 'PATCH', url: `/api/users/${dee.user.id}`, headers: owners(), payload });
    expect((await patch({ role: 'editor' })).json()).toMatchObject({ role: 'editor' });
    expect((await me(t, dee.cookie)).json()).toMatchObject({ role: 'editor' });

    const off = await patch({ active: false });
    expect(off.json().deactivatedAt).toBeTypeOf('number');
    expect((await me(t, dee.cookie)).statusCode).toBe(401);
    const refused = await signIn(t, 'dee@example.com');
    expect(refused.statusCode).toBe(401);
    expect(refused.json().message).toContain('deactivated');
    // Without the right password, a deactivated account looks like any other.
    expect((await signIn(t, 'dee@example.com', 'wrong password')).json().code).toBe('SIGN_IN_FAILED');

    expect((await patch({ active: true })).json()).toMatchObject({ deactivatedAt: null });
    expect((await signIn(t, 'dee@example.com')).statusCode).toBe(200);
    expect((await patch({})).statusCode).toBe(400);

    const audit = (await t.api('GET', '/api/audit?limit=20')).json() as AuditPage;
    const forDee = audit.entries.filter((entry) => entry.target.id === dee.user.id);
    expect(forDee.map((entry) => [entry.action, entry.details])).toEqual([
      ['user.changed', { reactivated: true }],
      ['user.deactivated', undefined],
      ['user.changed', { from: 'viewer', role: 'editor' }],
      ['user.invited', { role: 'viewer' }],
    ]);
    expect(forDee[1]?.actor).toMatchObject({ kind: 'user', name: 'Owner person', role: 'owner' });
  });

  it('keeps the last active owner: no demotion or deactivation of them, in words', async () => {
    const users = (await t.api('GET', '/api/users')).json() as UserSummary[];
    const only = users.find((user) => user.role === 'owner');
    if (!only) throw new Error('no owner');
    for (const payload of [{ role: 'editor' }, { active: false }]) {
      const refused = await t.api('PATCH', `/api/users/${only.id}`, payload);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().message).toBe(
        'Owner person is the last active owner: make another user an owner first, so someone can still manage users and keys.',
      );
    }
    const second = await signedInUser(t, 'owner', 'second-owner@example.com');
    expect((await t.api('PATCH', `/api/users/${only.id}`, { role: 'editor' })).statusCode).toBe(200);
    expect((await t.api('PATCH', `/api/users/${second.user.id}`, { active: false })).statusCode).toBe(409);
    expect((await t.api('PATCH', `/api/users/${only.id}`, { role: 'owner' })).statusCode).toBe(200);
  });

  it('lets only owners manage users', async () => {
    const editor = await signedInUser(t, 'editor', 'ed@example.com');
    const refused = await t.app.inject({ method: 'GET', url: '/api/users', headers: browser(editor.cookie) });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toBe('This call needs the owner role (owner); Editor person has the editor role.');
  });

  it('shows no password hash, session id or link token in any answer or log line', async () => {
    const link = (await t.api('POST', '/api/users', { email: 'fi@example.com', name: 'Fi', role: 'agent' })).json()
      .link;
    expect((await t.app.inject({ method: 'GET', url: `/api/account/link/${tokenOf(link)}` })).statusCode).toBe(200);
    const secrets = [...(await storedSecrets(t)), owner.slice(owner.indexOf('=') + 1), tokenOf(link)];
    expect(secrets.length).toBeGreaterThan(5);
    const answers = [
      (await t.api('GET', '/api/users')).body,
      (await t.api('GET', '/api/audit')).body,
      (await t.api('GET', '/api/audit.csv')).body,
      (await me(t, owner)).body,
    ];
    for (const text of [...answers, ...t.logs]) {
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
    for (const line of t.logs) expect(line).not.toMatch(/cf_session=[A-Za-z0-9_-]{20}|scrypt\$|"password"/);
  });
});

/** Every hash and hashed id the accounts keep in Redis: none may leave it. */
async function storedSecrets(t: TestApp): Promise<string[]> {
  const users = Object.values(await t.redis.hgetall(`${t.prefix}users`)).map(
    (json) => (JSON.parse(json) as { passwordHash: string | null }).passwordHash,
  );
  const hashes = users.flatMap((hash) => (hash ? [hash, ...hash.split('$').slice(4)] : []));
  const sessions = (await t.redis.keys(`${t.prefix}sessions:*`)).map((key) => key.slice(key.lastIndexOf(':') + 1));
  const links = (await t.redis.keys(`${t.prefix}account-links:*`))
    .map((key) => key.slice(key.lastIndexOf(':') + 1))
    .filter((hash) => /^[0-9a-f]{64}$/.test(hash));
  return [...hashes, ...sessions, ...links];
}
