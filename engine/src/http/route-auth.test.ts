import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleRoute } from './route-config.ts';
import { bodyFor, documentedOperations, type Operation, rawRequest, refused, spellings } from './route-matrix.ts';
import { startTestApp, type TestApp } from './test-app.ts';

/**
 * The auth matrix: every operation of the OpenAPI document, under every spelling of its path
 * that an HTTP server might route (percent-encoded, absolute-form, odd case, extra slashes),
 * without credentials and with wrong ones, over a real socket so the request target reaches
 * the server byte for byte. None may reach a handler. (Which role may call what: `role-matrix.test.ts`.)
 */

describe('every route authenticates on the route it matched', () => {
  let t: TestApp;
  let port: number;
  let operations: Operation[];

  beforeAll(async () => {
    t = await startTestApp();
    operations = await documentedOperations(t.app);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    port = (t.app.server.address() as AddressInfo).port;
  });
  afterAll(() => t.close());

  it('documents a way to authenticate on every operation, and only probes, docs, signing in and one-time links are open', () => {
    expect(operations.length).toBeGreaterThan(20);
    const open = operations.filter((operation) => operation.auth === 'public').map((operation) => operation.path);
    // Signing in and using a one-time link: public, with checks of their own (password, limits, token).
    expect(open.sort()).toEqual([
      '/api/account/link/x',
      '/api/account/password',
      '/api/session',
      '/api/session',
      '/health',
      '/ready',
    ]);
  });

  it('refuses every spelling of every protected operation without credentials or with wrong ones', async () => {
    const origin = `http://127.0.0.1:${port}`;
    const wrong: Record<string, Record<string, string>> = {
      none: {},
      'wrong key': { Authorization: 'Bearer not-the-key-0123456789abcdef' },
      'unknown session': { Cookie: `cf_session=${'A'.repeat(43)}`, Origin: origin },
      'wrong signature': { 'X-Signature-256': `sha256=${'0'.repeat(64)}`, 'X-Signature-Timestamp': now() },
    };
    const leaks: string[] = [];
    let requests = 0;
    for (const operation of operations.filter((candidate) => candidate.auth !== 'public')) {
      const body = bodyFor(operation.method);
      for (const target of spellings(operation.path, origin)) {
        for (const [credentials, headers] of Object.entries(wrong)) {
          const answer = await rawRequest(port, operation.method, target, headers, body);
          requests += 1;
          if (!refused(answer))
            leaks.push(`${operation.method} ${target} (${credentials}) → ${answer.status} ${answer.message}`);
        }
      }
      // The plain and absolute-form spellings are routed, and refused by auth, not by chance.
      for (const target of [operation.path, `${origin}${operation.path}`]) {
        const { status } = await rawRequest(port, operation.method, target, {}, body);
        if (status !== 401) leaks.push(`${operation.method} ${target} (none) → ${status}, not 401`);
      }
    }
    expect(leaks).toEqual([]);
    expect(requests).toBeGreaterThan(1000);
    // Nothing was created along the way.
    expect((await t.api('GET', '/api/workflows')).json()).toEqual([]);
    expect((await t.api('GET', '/api/connections')).json()).toEqual([]);
  });

  it('lets the right credentials through on every protected operation', async () => {
    for (const operation of operations.filter((candidate) => candidate.auth === 'apiKey')) {
      const body = bodyFor(operation.method);
      const { status } = await rawRequest(port, operation.method, operation.path, t.auth, body);
      expect(status, `${operation.method} ${operation.path}`).not.toBe(401);
    }
  });

  it('refuses to start with a route that declares no auth mode', async () => {
    const other = await startTestApp();
    try {
      other.app.get('/api/forgotten', async () => 'secret');
      other.app.get('/api/declared', { config: roleRoute('read') }, async () => 'fine');
      await expect(other.app.ready()).rejects.toThrow(
        'Routes without an auth mode (config.auth), refused: GET /api/forgotten',
      );
    } finally {
      await other.close().catch(() => undefined);
    }
  });

  it('refuses to start with an API-key route that declares no role', async () => {
    const other = await startTestApp();
    try {
      other.app.get('/api/roleless', { config: { auth: 'apiKey' } }, async () => 'secret');
      other.app.post('/api/misspelt', { config: { auth: 'apiKey', role: 'admin' as never } }, async () => 'secret');
      other.app.get('/api/declared', { config: roleRoute('any') }, async () => 'fine');
      await expect(other.app.ready()).rejects.toThrow(
        'Routes without a role (config.role), refused: GET /api/roleless, HEAD /api/roleless, POST /api/misspelt',
      );
    } finally {
      await other.close().catch(() => undefined);
    }
  });
});

const now = () => String(Math.floor(Date.now() / 1000));
