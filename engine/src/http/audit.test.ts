import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, AuditPage } from '../contract/accounts.ts';
import { noteWorkflow, startTestApp, type TestApp } from './test-app.ts';

const pemOf = () =>
  generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
/** A line from the middle of a key: present in any leak, whatever the escaping. */
const fragmentOf = (pem: string) => pem.split('\n')[3] ?? pem;

const secretValue = 'crm_live_audit_5e8b1f0a9c3d';
const firstPem = pemOf();
const secondPem = pemOf();
const google = (pem: string) => ({
  type: 'service_account',
  client_email: 'bot@project.iam.gserviceaccount.com',
  private_key: pem,
});

describe('audit log', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** An install-key call made from the editor, which names whoever uses it. */
  const asEditor = (name: string, method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: { ...t.auth, 'x-editor-name': encodeURIComponent(name) }, payload });

  const entries = async (query = ''): Promise<AuditEntry[]> => {
    const response = await t.api('GET', `/api/audit${query}`);
    expect(response.statusCode).toBe(200);
    return (response.json() as AuditPage).entries;
  };

  it('records each change to a workflow with who made it, newest first, once per burst of saves', async () => {
    const doc = noteWorkflow('wf-audit');
    expect((await asEditor('Zoë', 'POST', '/api/workflows', doc)).statusCode).toBe(201);
    for (const text of ['one', 'two', 'three']) {
      const saved = await asEditor('Zoë', 'PUT', '/api/workflows/wf-audit', {
        ...doc,
        nodes: [doc.nodes[0], { ...doc.nodes[1], data: { text } }],
      });
      expect(saved.statusCode).toBe(200);
    }
    // Another person's save in the same minutes is theirs to be seen.
    expect((await asEditor('Sam', 'PUT', '/api/workflows/wf-audit', doc)).statusCode).toBe(200);
    expect((await asEditor('Zoë', 'POST', '/api/workflows/wf-audit/publish', { note: ' First go ' })).statusCode).toBe(
      200,
    );
    expect((await t.api('POST', '/api/workflows/wf-audit/unpublish')).statusCode).toBe(200);
    expect((await t.api('DELETE', '/api/workflows/wf-audit')).statusCode).toBe(204);

    const log = await entries('?limit=20');
    const target = { kind: 'workflow', id: 'wf-audit', name: 'Note wf-audit' };
    const zoe = { kind: 'install-key', id: 'api-key', name: 'Zoë', role: 'owner' };
    const unnamed = { ...zoe, name: 'API key' };
    expect(log).toEqual([
      { id: expect.any(String), at: expect.any(Number), actor: unnamed, action: 'workflow.deleted', target },
      { id: expect.any(String), at: expect.any(Number), actor: unnamed, action: 'workflow.unpublished', target },
      {
        id: expect.any(String),
        at: expect.any(Number),
        actor: zoe,
        action: 'workflow.published',
        target,
        details: { version: 1, note: 'First go' },
      },
      {
        id: expect.any(String),
        at: expect.any(Number),
        actor: { ...zoe, name: 'Sam' },
        action: 'workflow.saved',
        target,
      },
      { id: expect.any(String), at: expect.any(Number), actor: zoe, action: 'workflow.saved', target },
      { id: expect.any(String), at: expect.any(Number), actor: zoe, action: 'workflow.created', target },
    ]);
    const times = log.map((entry) => entry.at);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('records connections by type and name, and never holds a secret, in the log or its CSV', async () => {
    const secret = { id: 'crm-token', type: 'secret', name: 'CRM token', value: secretValue };
    expect((await asEditor('Zoë', 'POST', '/api/connections', secret)).statusCode).toBe(201);
    const sheet = { id: 'sheets', type: 'google', name: 'Sheets', serviceAccountKey: google(firstPem) };
    expect((await t.api('POST', '/api/connections', sheet)).statusCode).toBe(201);
    const patch = { name: 'Support sheets', serviceAccountKey: google(secondPem) };
    expect((await t.api('PATCH', '/api/connections/sheets', patch)).statusCode).toBe(200);
    expect((await t.api('DELETE', '/api/connections/crm-token')).statusCode).toBe(204);

    const log = await entries('?limit=4');
    expect(log.map(({ action, target, details }) => ({ action, target, details }))).toEqual([
      {
        action: 'connection.deleted',
        target: { kind: 'connection', id: 'crm-token', name: 'CRM token' },
        details: { type: 'secret', name: 'CRM token' },
      },
      {
        action: 'connection.updated',
        target: { kind: 'connection', id: 'sheets', name: 'Support sheets' },
        details: { type: 'google', name: 'Support sheets', changed: 'name, serviceAccountKey' },
      },
      {
        action: 'connection.created',
        target: { kind: 'connection', id: 'sheets', name: 'Sheets' },
        details: { type: 'google', name: 'Sheets' },
      },
      {
        action: 'connection.created',
        target: { kind: 'connection', id: 'crm-token', name: 'CRM token' },
        details: { type: 'secret', name: 'CRM token' },
      },
    ]);
    expect(log[3]?.actor.name).toBe('Zoë');

    const page = (await t.api('GET', '/api/audit?limit=500')).body;
    const csv = (await t.api('GET', '/api/audit.csv')).body;
    for (const text of [page, csv, JSON.stringify(await t.redis.xrange(`${t.prefix}audit`, '-', '+'))]) {
      expect(text).not.toContain(secretValue);
      expect(text).not.toContain(fragmentOf(firstPem));
      expect(text).not.toContain(fragmentOf(secondPem));
      expect(text).not.toContain('PRIVATE KEY');
      expect(text).not.toContain(t.auth.authorization.slice('Bearer '.length));
    }
  });

  it('records nothing for a refused call', async () => {
    const before = await entries('?limit=500');
    const invalid = { ...noteWorkflow('wf-refused'), edges: [] };
    expect((await t.api('POST', '/api/workflows', invalid)).statusCode).toBe(201);
    const afterCreate = await entries('?limit=500');
    expect(afterCreate).toHaveLength(before.length + 1);

    const refused = [
      await t.api('POST', '/api/workflows', invalid), // 409: the id is taken
      await t.api('POST', '/api/workflows/wf-refused/publish'), // 422: a step is not connected
      await t.api('PUT', '/api/workflows/missing', noteWorkflow('missing')), // 404
      await t.api('DELETE', '/api/workflows/missing'), // 404
      await t.api('POST', '/api/workflows/missing/unpublish'), // 404
      await t.api('DELETE', '/api/connections/missing'), // 404
      await t.api('PATCH', '/api/connections/missing', { name: 'x' }), // 404
      await t.api('POST', '/api/connections', { id: 'bad', type: 'secret', name: 'Short', value: 'short' }), // 400
      await t.app.inject({ method: 'POST', url: '/api/workflows', payload: noteWorkflow('wf-anonymous') }), // 401
      await t.app.inject({
        method: 'DELETE',
        url: '/api/workflows/wf-refused',
        headers: { authorization: 'Bearer wrong-key-0123456789' },
      }), // 401
    ];
    expect(refused.map((response) => response.statusCode)).toEqual([409, 422, 404, 404, 404, 404, 404, 400, 401, 401]);
    expect(await entries('?limit=500')).toEqual(afterCreate);
  });

  it('exports CSV with a header row, every entry, and formula-looking text made text', async () => {
    const formula = { ...noteWorkflow('wf-formula'), name: '=HYPERLINK("http://evil.example","x")' };
    expect((await asEditor('@admin', 'POST', '/api/workflows', formula)).statusCode).toBe(201);
    const response = await t.api('GET', '/api/audit.csv?action=workflow.created');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="audit-log.csv"');
    const lines = response.body.split('\r\n');
    expect(lines[0]).toBe('time,actor name,actor kind,role,action,target kind,target id,target name,details');
    expect(lines[1]).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z,'@admin,install-key,owner,workflow\.created,workflow,wf-formula,"'=HYPERLINK\(""http:\/\/evil\.example"",""x""\)",$/,
    );
    const created = await entries('?action=workflow.created&limit=500');
    // One line per entry, plus the header and the final line end.
    expect(lines).toHaveLength(created.length + 2);
  });

  it('pages with the last entry id as the cursor, and refuses bad filters naming them', async () => {
    const all = await entries('?limit=500');
    const first = await t.api('GET', '/api/audit?limit=2');
    expect(first.json()).toEqual({ entries: all.slice(0, 2), more: true });
    const next = await t.api('GET', `/api/audit?limit=2&before=${encodeURIComponent(all[1]?.id ?? '')}`);
    expect(next.json()).toEqual({ entries: all.slice(2, 4), more: true });

    const bad = [
      ['?before=yesterday', /before "yesterday" is not an audit entry id/],
      ['?action=workflow.renamed', /action/],
      ['?limit=0', /limit/],
      ['?from=last-week', /from/],
    ] as const;
    for (const [query, message] of bad) {
      for (const path of ['/api/audit', '/api/audit.csv']) {
        if (path.endsWith('.csv') && query.startsWith('?limit')) continue;
        const response = await t.api('GET', `${path}${query}`);
        expect(response.statusCode, `${path}${query}`).toBe(400);
        expect(response.json().message).toMatch(message);
      }
    }
  });

  it('names a named key as the actor and as the author of its versions; lower roles are refused and record nothing', async () => {
    const createKey = async (name: string, role: string) => {
      const response = await t.api('POST', '/api/keys', { name, role });
      expect(response.statusCode).toBe(201);
      return { authorization: `Bearer ${response.json().key}`, id: response.json().id as string };
    };
    const n8n = await createKey('n8n', 'editor');
    const viewer = await createKey('Wallboard', 'viewer');
    const as = (key: { authorization: string }, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
      t.app.inject({ method, url, headers: { authorization: key.authorization, 'x-editor-name': 'Not me' }, payload });

    expect((await as(n8n, 'POST', '/api/workflows', noteWorkflow('wf-by-key'))).statusCode).toBe(201);
    expect((await as(n8n, 'PUT', '/api/workflows/wf-by-key', noteWorkflow('wf-by-key'))).statusCode).toBe(200);
    expect((await as(n8n, 'POST', '/api/workflows/wf-by-key/publish', { note: 'From n8n' })).statusCode).toBe(200);
    const versions = (await t.api('GET', '/api/workflows/wf-by-key/versions')).json();
    expect(versions).toMatchObject([{ version: 1, publishedBy: 'n8n', note: 'From n8n' }]);
    // The key's name, not the X-Editor-Name it sent: only the install's key, shared, takes a name from the caller.
    expect((await t.api('GET', '/api/workflows/wf-by-key')).json()).toMatchObject({ savedBy: 'n8n' });

    const before = await entries('?limit=500');
    const byKey = { kind: 'key', id: n8n.id, name: 'n8n', role: 'editor' };
    expect(before.slice(0, 3).map(({ action, actor }) => ({ action, actor }))).toEqual([
      { action: 'workflow.published', actor: byKey },
      { action: 'workflow.saved', actor: byKey },
      { action: 'workflow.created', actor: byKey },
    ]);
    expect(before.slice(3, 5).map(({ action, target }) => ({ action, name: target.name }))).toEqual([
      { action: 'key.created', name: 'Wallboard' },
      { action: 'key.created', name: 'n8n' },
    ]);

    expect((await as(n8n, 'GET', '/api/audit')).statusCode).toBe(403);
    expect((await as(viewer, 'GET', '/api/audit.csv')).statusCode).toBe(403);
    expect((await as(viewer, 'PUT', '/api/workflows/wf-by-key', noteWorkflow('wf-by-key'))).statusCode).toBe(403);
    expect((await as(viewer, 'POST', '/api/workflows/wf-by-key/unpublish')).statusCode).toBe(403);
    expect(await entries('?limit=500')).toEqual(before);
  });

  it('asks for the API key (owner) on both routes', async () => {
    for (const url of ['/api/audit', '/api/audit.csv']) {
      expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(401);
    }
    const document = (await t.app.inject({ url: '/docs/json' })).json();
    expect(document.paths['/api/audit'].get['x-required-role']).toBe('owner');
    expect(document.paths['/api/audit.csv'].get['x-required-role']).toBe('owner');
  });

  it('keeps a change done when its audit entry cannot be written, and says so loudly in the log', async () => {
    // The log's key made unwritable (another type): every entry write fails.
    await t.redis.del(`${t.prefix}audit`);
    await t.redis.set(`${t.prefix}audit`, 'not a stream');
    try {
      const response = await asEditor('Zoë', 'POST', '/api/workflows', noteWorkflow('wf-unlogged'));
      expect(response.statusCode).toBe(201);
      expect((await t.api('GET', '/api/workflows/wf-unlogged')).statusCode).toBe(200);
      const line = t.logs.find((logged) => logged.includes('AUDIT LOG ENTRY NOT WRITTEN'));
      expect(line).toBeDefined();
      expect(JSON.parse(line ?? '{}')).toMatchObject({
        level: 50,
        audit: { action: 'workflow.created', target: { id: 'wf-unlogged' }, actor: { name: 'Zoë' } },
      });
    } finally {
      await t.redis.del(`${t.prefix}audit`);
    }
  });
});
