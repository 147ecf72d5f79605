import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleRoute } from './route-config.ts';
import { startTestApp, type TestApp } from './test-app.ts';

/**
 * The auth matrix: every operation of the OpenAPI document, under every spelling of its path
 * that an HTTP server might route (percent-encoded, absolute-form, odd case, extra slashes),
 * without credentials and with wrong ones, over a real socket so the request target reaches
 * the server byte for byte. None may reach a handler.
 */

interface Operation {
  method: string;
  path: string;
  auth: 'apiKey' | 'signature' | 'metrics' | 'channel' | 'public';
}

interface Answer {
  status: number;
  message: string;
}

/**
 * An answer that proves no handler ran: refused by auth, not routed, or not a valid URL. A 404
 * or 400 from a handler or its validation (the workflow does not exist, the body is wrong)
 * would mean the request got past authentication, so those count only with the router's words.
 */
function refused({ status, message }: Answer): boolean {
  if (status === 401 || status === 415) return true;
  if (status === 404) return message.startsWith('No route');
  if (status === 400) return message.startsWith('The request URL is not valid');
  return false;
}

const encodeFirst = (segment: string) =>
  segment === '' ? '' : `%${segment.charCodeAt(0).toString(16).padStart(2, '0')}${segment.slice(1)}`;
const encodeAll = (segment: string) =>
  [...segment].map((char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`).join('');

/** Request targets that name `path` in other ways. */
function spellings(path: string, origin: string): string[] {
  const segments = path.split('/');
  return [
    path,
    segments.map(encodeFirst).join('/'),
    segments.map((segment, index) => (index === 1 ? encodeAll(segment) : segment)).join('/'),
    segments.map((segment) => segment.replace(/[a-z]/g, (char) => `%${char.charCodeAt(0).toString(16)}`)).join('/'),
    path.toUpperCase(),
    path.replace('/api/', '/Api/'),
    `/${path}`,
    path.replace('/api/', '/api//'),
    path.replace('/api/', '/api/./'),
    path.replace('/api/', '/x/../api/'),
    `${path}/`,
    `${path}?`,
    `${path};x`,
    `${origin}${path}`,
    `${origin}${segments.map(encodeFirst).join('/')}`,
    `HTTP://EVIL.EXAMPLE${path}`,
  ];
}

function rawRequest(
  port: number,
  method: string,
  target: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      answer += chunk;
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const status = Number(answer.match(/^HTTP\/1\.1 (\d{3})/)?.[1]);
      if (Number.isNaN(status)) reject(new Error(`no HTTP answer to ${method} ${target}: ${answer.slice(0, 80)}`));
      else resolve({ status, message: messageOf(answer.slice(answer.indexOf('\r\n\r\n') + 4)) });
    });
    const lines = [`${method} ${target} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Connection: close'];
    for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
    if (body !== undefined) lines.push('Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`);
    // Not `end()`: a half-closed socket may be dropped before a slow handler answers.
    socket.write(`${lines.join('\r\n')}\r\n\r\n${body ?? ''}`);
  });
}

describe('every route authenticates on the route it matched', () => {
  let t: TestApp;
  let port: number;
  let operations: Operation[];

  beforeAll(async () => {
    t = await startTestApp();
    const document = (await t.app.inject({ url: '/docs/json' })).json() as {
      paths: Record<string, Record<string, { security: Record<string, string[]>[] }>>;
    };
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path: path.replace('{version}', '1').replace(/\{[^}]+\}/g, 'x'),
        auth: authOf(operation.security),
      })),
    );
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    port = (t.app.server.address() as AddressInfo).port;
  });
  afterAll(() => t.close());

  it('documents a way to authenticate on every operation, and only probes and docs are open', () => {
    expect(operations.length).toBeGreaterThan(20);
    const open = operations.filter((operation) => operation.auth === 'public').map((operation) => operation.path);
    expect(open.sort()).toEqual(['/health', '/ready']);
  });

  it('refuses every spelling of every protected operation without credentials or with wrong ones', async () => {
    const origin = `http://127.0.0.1:${port}`;
    const wrong: Record<string, Record<string, string>> = {
      none: {},
      'wrong key': { Authorization: 'Bearer not-the-key-0123456789abcdef' },
      'wrong signature': { 'X-Signature-256': `sha256=${'0'.repeat(64)}`, 'X-Signature-Timestamp': now() },
    };
    const leaks: string[] = [];
    let requests = 0;
    for (const operation of operations.filter((candidate) => candidate.auth !== 'public')) {
      const body = operation.method === 'POST' || operation.method === 'PUT' ? '{}' : undefined;
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
      const body = operation.method === 'POST' || operation.method === 'PUT' ? '{}' : undefined;
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

function authOf(security: Record<string, string[]>[]): Operation['auth'] {
  const schemes = security.flatMap((requirement) => Object.keys(requirement));
  if (schemes.length === 0) return 'public';
  if (schemes.includes('signature')) return 'signature';
  if (schemes.includes('metricsToken')) return 'metrics';
  if (schemes.includes('channelSignature')) return 'channel';
  return 'apiKey';
}

function messageOf(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && 'message' in parsed ? String(parsed.message) : body;
  } catch {
    return body.slice(0, 100);
  }
}

const now = () => String(Math.floor(Date.now() / 1000));
