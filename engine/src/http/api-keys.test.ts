import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiKeyCreated, ApiKeySummary, AuditPage, Role } from '../contract/accounts.ts';
import { startTestApp, type TestApp } from './test-app.ts';

/** The secret part of `cfk_<16 hex id>_<secret>`. */
const secretOf = (key: string) => key.slice('cfk_0123456789abcdef_'.length);

describe('named API keys', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** Every key created, to look for in the logs at the end. */
  const keys: string[] = [];
  const create = async (name: string, role: Role, headers: Record<string, string> = t.auth) => {
    const response = await t.app.inject({ method: 'POST', url: '/api/keys', headers, payload: { name, role } });
    expect(response.statusCode, response.body).toBe(201);
    keys.push((response.json() as ApiKeyCreated).key);
    return response;
  };
  const as = (key: string) => ({ authorization: `Bearer ${key}` });

  it('shows a key once, at its creation, and lists it without it', async () => {
    const response = await create('n8n', 'viewer', { ...t.auth, 'x-editor-name': encodeURIComponent('Zoë') });
    expect(response.headers['cache-control']).toBe('no-store');
    const created = response.json() as ApiKeyCreated;
    expect(created).toMatchObject({ name: 'n8n', role: 'viewer', createdBy: 'Zoë', lastUsedAt: null, revokedAt: null });
    expect(created.key).toMatch(/^cfk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(created.key.startsWith(`${created.prefix}_`)).toBe(true);

    const list = await t.api('GET', '/api/keys');
    expect(list.statusCode).toBe(200);
    const secret = secretOf(created.key);
    expect(list.body).not.toContain(secret);
    const summaries = list.json() as ApiKeySummary[];
    expect(summaries.find((key) => key.id === created.id)).toEqual({
      id: created.id,
      name: 'n8n',
      role: 'viewer',
      prefix: created.prefix,
      createdAt: created.createdAt,
      createdBy: 'Zoë',
      lastUsedAt: null,
      revokedAt: null,
    });
    // Nor in Redis: only the secret's hash is stored.
    const stored = JSON.stringify(await t.redis.hgetall(`${t.prefix}apikeys`));
    expect(stored).toContain(created.id);
    expect(stored).not.toContain(secret);
    // Nor in any log line, the request logger's included.
    expect(t.logs.join('\n')).not.toContain(secret);
    expect(t.logs.join('\n')).not.toContain(t.auth.authorization.slice('Bearer '.length));
  });

  it('says who calls: the install key (named by X-Editor-Name), or the named key with its role', async () => {
    const install = await t.app.inject({ url: '/api/me', headers: t.auth });
    expect(install.json()).toEqual({ kind: 'install-key', id: 'api-key', name: 'API key', role: 'owner' });
    const named = await t.app.inject({
      url: '/api/me',
      headers: { ...t.auth, 'x-editor-name': encodeURIComponent('Ana María') },
    });
    expect(named.json()).toEqual({ kind: 'install-key', id: 'api-key', name: 'Ana María', role: 'owner' });

    const agent = (await create('Chatwoot macro', 'agent')).json() as ApiKeyCreated;
    const me = await t.app.inject({ url: '/api/me', headers: { ...as(agent.key), 'x-editor-name': 'someone else' } });
    expect(me.json()).toEqual({ kind: 'key', id: agent.id, name: 'Chatwoot macro', role: 'agent' });
  });

  it('refuses a role short of the route, naming the role needed and the caller', async () => {
    const viewer = (await create('dashboard', 'viewer')).json() as ApiKeyCreated;
    expect((await t.app.inject({ url: '/api/workflows', headers: as(viewer.key) })).statusCode).toBe(200);
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/workflows',
      headers: as(viewer.key),
      payload: { id: 'x', name: 'x', nodes: [], edges: [] },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toEqual({
      code: 'ROLE_REQUIRED',
      message: 'This call needs the editor role (owner or editor); key "dashboard" is a viewer key.',
      details: { needed: 'editor', role: 'viewer' },
    });
    const keys = await t.app.inject({ url: '/api/keys', headers: as(viewer.key) });
    expect(keys.json().message).toBe('This call needs the owner role (owner); key "dashboard" is a viewer key.');
    expect((await t.api('GET', '/api/workflows')).json()).toEqual([]);
  });

  it('notes when a key was last used, at most once a minute', async () => {
    const editor = (await create('ci', 'editor')).json() as ApiKeyCreated;
    const before = Date.now();
    for (let call = 0; call < 3; call += 1) {
      expect((await t.app.inject({ url: '/api/workflows', headers: as(editor.key) })).statusCode).toBe(200);
    }
    const used = Number(await t.redis.hget(`${t.prefix}apikeys:used`, editor.id));
    expect(used).toBeGreaterThanOrEqual(before);
    await t.app.inject({ url: '/api/workflows', headers: as(editor.key) });
    expect(Number(await t.redis.hget(`${t.prefix}apikeys:used`, editor.id))).toBe(used);
    const listed = ((await t.api('GET', '/api/keys')).json() as ApiKeySummary[]).find((key) => key.id === editor.id);
    expect(listed?.lastUsedAt).toBe(used);
  });

  it('revokes a key: refused at once, saying when, and still listed', async () => {
    const ci = (await create('old ci', 'editor')).json() as ApiKeyCreated;
    expect((await t.app.inject({ url: '/api/me', headers: as(ci.key) })).statusCode).toBe(200);
    const revoked = await t.api('DELETE', `/api/keys/${ci.id}`);
    expect(revoked.statusCode).toBe(200);
    const { revokedAt } = revoked.json() as ApiKeySummary;
    expect(revokedAt).toEqual(expect.any(Number));

    const refused = await t.app.inject({ url: '/api/me', headers: as(ci.key) });
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toEqual({
      code: 'UNAUTHORIZED',
      message: `API key "old ci" (${ci.prefix}) was revoked at ${new Date(revokedAt ?? 0).toISOString()}: ask an owner for a new key.`,
      details: { revokedAt },
    });
    // Revoking again keeps the first time.
    expect((await t.api('DELETE', `/api/keys/${ci.id}`)).json().revokedAt).toBe(revokedAt);
    const listed = ((await t.api('GET', '/api/keys')).json() as ApiKeySummary[]).find((key) => key.id === ci.id);
    expect(listed?.revokedAt).toBe(revokedAt);
  });

  it('records creating and revoking a key in the audit log, once each, never the key', async () => {
    const owner = { ...t.auth, 'x-editor-name': 'Owner' };
    const created = (await create('temp', 'agent', owner)).json() as ApiKeyCreated;
    await t.app.inject({ method: 'DELETE', url: `/api/keys/${created.id}`, headers: owner });
    await t.app.inject({ method: 'DELETE', url: `/api/keys/${created.id}`, headers: owner });
    const log = await t.api('GET', '/api/audit');
    expect(log.body).not.toContain(secretOf(created.key));
    const entries = (log.json() as AuditPage).entries.filter((entry) => entry.target.id === created.id);
    expect(
      entries.map(({ action, actor, target, details }) => ({ action, actor: actor.name, target, details })),
    ).toEqual(
      ['key.revoked', 'key.created'].map((action) => ({
        action,
        actor: 'Owner',
        target: { kind: 'key', id: created.id, name: 'temp' },
        details: { role: 'agent' },
      })),
    );
  });

  it('answers 404 for an unknown key, and a wrong secret as any wrong key', async () => {
    const missing = await t.api('DELETE', '/api/keys/0123456789abcdef');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toBe('API key "0123456789abcdef" does not exist.');

    const real = (await create('real', 'owner')).json() as ApiKeyCreated;
    const forged = `${real.prefix}_${'A'.repeat(43)}`;
    const response = await t.app.inject({ url: '/api/me', headers: as(forged) });
    expect(response.statusCode).toBe(401);
    expect(response.json().message).toBe(
      'Missing or wrong API key: send Authorization: Bearer <key> (printed at start, or API_KEY)',
    );
  });

  it('refuses a key without a name or with an unknown role, naming the field', async () => {
    const noName = await t.api('POST', '/api/keys', { name: '  ', role: 'editor' });
    expect(noName.statusCode).toBe(400);
    expect(noName.json().message).toContain('body.name');
    const badRole = await t.api('POST', '/api/keys', { name: 'x', role: 'admin' });
    expect(badRole.statusCode).toBe(400);
    expect(badRole.json().message).toContain('body.role');
  });

  it('documents the role of every API-key operation, from the same declaration', async () => {
    const document = (await t.app.inject({ url: '/docs/json' })).json() as {
      paths: Record<string, Record<string, { security: object[]; 'x-required-role'?: string; description?: string }>>;
    };
    const keys = document.paths['/api/keys'];
    expect(keys?.post?.['x-required-role']).toBe('owner');
    expect(keys?.post?.description).toBe('Role: owner — owner.');
    expect(document.paths['/api/workflows/{id}']?.put?.description).toBe('Role: editor — owner, editor.');
    expect(document.paths['/api/runs']?.get?.description).toMatch(/\n\nRole: read — owner, editor, viewer\.$/);
    expect(document.paths['/api/workflows/{id}/shortcut']?.post?.['x-required-role']).toBe('run');
    expect(document.paths['/api/me']?.get?.['x-required-role']).toBe('any');
  });

  it('never logs a key, its secret or its hash, whether it was used, refused or revoked', async () => {
    const lines = t.logs.join('\n');
    expect(keys.length).toBeGreaterThan(5);
    expect(lines).toContain('request refused');
    const records = Object.values(await t.redis.hgetall(`${t.prefix}apikeys`)).map((json) => JSON.parse(json));
    for (const key of keys) expect(lines).not.toContain(secretOf(key));
    for (const { secretHash } of records) expect(lines).not.toContain(secretHash);
  });
});
