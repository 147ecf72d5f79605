import { type AddressInfo, connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from './json-body.ts';
import { roleRoute } from './route-config.ts';
import { startTestApp, type TestApp } from './test-app.ts';

const BODY_LIMIT = 4096;

describe('bad input gets a 4xx that says what and where', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ bodyLimit: BODY_LIMIT });
    // A route that fails like a bug would, with something secret in its error.
    t.app.get('/api/test-failure', { config: roleRoute('read') }, async () => {
      throw new Error('password=hunter2 at /srv/secret.json');
    });
  });
  afterAll(() => t.close());

  const post = (url: string, payload: string, contentType = 'application/json') =>
    t.app.inject({ method: 'POST', url, headers: { ...t.auth, 'content-type': contentType }, payload });

  it('malformed JSON → 400 naming the position', async () => {
    const response = await post('/api/workflows', '{"name": "x",}');
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.code).toBe('BAD_REQUEST');
    expect(body.message).toMatch(/^Malformed JSON body: .*position 13/);
  });

  it('malformed JSON on a signed webhook → 400 once the signature is right', async () => {
    const payload = '{"conversationId": ';
    const headers = t.signRaw(payload);
    const response = await t.app.inject({ method: 'POST', url: '/api/messages/inbound', headers, payload });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/^Malformed JSON body/);
  });

  it('schema violations → 400 naming each bad field by its path', async () => {
    const { headers, payload } = t.signed({
      eventId: 'evt-1',
      conversation: { channel: 'whatsapp' },
      contact: { id: 42 },
    });
    const response = await t.app.inject({ method: 'POST', url: '/api/events/conversation-closed', headers, payload });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.code).toBe('BAD_REQUEST');
    expect(body.message).toMatch(/body\.conversation\.id: [^;]+; body\.contact\.id: /);
    expect(body.details.issues).toEqual([
      { path: 'body.conversation.id', message: expect.any(String) },
      { path: 'body.contact.id', message: expect.any(String) },
    ]);
  });

  it('a workflow with a bad node → the path into nodes', async () => {
    const response = await post(
      '/api/workflows',
      JSON.stringify({ name: 'x', nodes: [{ id: 'a', type: 't' }], edges: [] }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain('body.nodes.0.position:');
  });

  it('a bad query string → 400 naming the parameter', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/runs?status=finished&limit=0', headers: t.auth });
    expect(response.statusCode).toBe(400);
    const message: string = response.json().message;
    expect(message).toContain('querystring.status:');
    expect(message).toContain('querystring.limit:');
  });

  it('a bad path parameter → 400 naming it', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/workflows/w1/versions/zero', headers: t.auth });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain('params.version:');
  });

  it('a missing body where one is required → 400, not 500', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/workflows', headers: t.auth });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/^body: /);
  });

  it('an oversized body → 413 with the limit', async () => {
    const response = await post('/api/workflows', JSON.stringify({ name: 'x'.repeat(BODY_LIMIT) }));
    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message: `The request body is larger than the limit of ${BODY_LIMIT} bytes; send a smaller body.`,
    });
  });

  it('an oversized body on a webhook → 413', async () => {
    const { headers, payload } = t.signed({ conversationId: 'c', contactId: 'c', text: 'x'.repeat(BODY_LIMIT) });
    const response = await t.app.inject({ method: 'POST', url: '/api/messages/inbound', headers, payload });
    expect(response.statusCode).toBe(413);
  });

  it('a body that is not JSON → 415', async () => {
    const response = await post('/api/workflows', 'name=x', 'application/x-www-form-urlencoded');
    expect(response.statusCode).toBe(415);
    expect(response.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(response.json().message).toContain('application/json');
  });

  it('prototype-poisoning keys → 400', async () => {
    const response = await post(
      '/api/workflows',
      '{"name": "x", "nodes": [], "edges": [], "__proto__": {"admin": true}}',
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain('__proto__');
  });

  it('JSON nested deeper than the limit → 400 naming the limit, on API and signed routes alike', async () => {
    const deep = (levels: number) =>
      `{"name":"deep","nodes":[],"edges":[],"x":${'['.repeat(levels)}${']'.repeat(levels)}}`;
    for (const levels of [MAX_JSON_DEPTH, 1500]) {
      const response = await post('/api/workflows', deep(levels));
      expect(response.statusCode, `${levels} levels`).toBe(400);
      expect(response.json().message).toContain(`more than ${MAX_JSON_DEPTH} levels deep`);
    }
    const nodeData = `{"name":"deep","nodes":[{"id":"a","type":"test.note","position":{"x":0,"y":0},"data":${'{"a":'.repeat(600)}1${'}'.repeat(600)}}],"edges":[]}`;
    expect((await post('/api/workflows', nodeData)).statusCode).toBe(400);
    const signed = deep(1500);
    const webhook = await t.app.inject({
      method: 'POST',
      url: '/api/messages/inbound',
      headers: t.signRaw(signed),
      payload: signed,
    });
    expect(webhook.statusCode).toBe(400);
    // Brackets inside strings are text, not nesting.
    const brackets = JSON.stringify({ name: '[[[[{{{{'.repeat(20), nodes: [], edges: [] });
    expect((await post('/api/workflows', brackets)).statusCode).toBe(201);
  });

  it('an undecodable URL → 400 in the API format, without echoing the URL', async () => {
    const response = await t.app.inject({ url: '/api/workflows/%E0%A4%A<script>', headers: t.auth });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      code: 'BAD_REQUEST',
      message: 'The request URL is not valid: check its percent-encoding.',
    });
  });

  it('oversized headers → 431 in the API format, without echoing them', async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = t.app.server.address() as AddressInfo;
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port });
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        text += chunk;
      });
      socket.on('error', reject);
      socket.on('close', () => resolve(text));
      socket.write(`GET /api/workflows HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'<b>'.repeat(30_000)}\r\n\r\n`);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
    expect(body).toEqual({ code: 'HEADERS_TOO_LARGE', message: expect.stringContaining('headers are too large') });
    expect(answer).not.toContain('<b>');
  });

  it('an unknown route → JSON 404', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/nowhere', headers: t.auth });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ code: 'NOT_FOUND', message: expect.stringContaining('GET /api/nowhere') });
  });

  it('an unknown workflow → 404 from the engine', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/workflows/ghost', headers: t.auth });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('NOT_FOUND');
  });

  it('no bad input ever yields a 5xx', async () => {
    const bodies = ['', 'null', '[]', '"text"', '42', '{"name": null}', '{"nodes": {}}', '\u0000', '{"a":'];
    for (const url of [
      '/api/workflows',
      '/api/connections',
      '/api/workflows/w/validate',
      '/api/nodes/test.note/test',
    ]) {
      for (const body of bodies) {
        const response = await post(url, body);
        expect(response.statusCode, `${url} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400);
        expect(response.statusCode, `${url} ${JSON.stringify(body)}`).toBeLessThan(500);
      }
    }
  });

  it('an unexpected failure → 500 with the request id and nothing of the error; the log has it', async () => {
    const response = await t.api('GET', '/api/test-failure');
    expect(response.statusCode).toBe(500);
    const requestId = response.headers['x-request-id'];
    expect(response.json()).toEqual({
      code: 'INTERNAL',
      message: `Internal error while handling request ${requestId}; the server log has the details.`,
    });
    const logged = t.logs.map((line) => JSON.parse(line)).find((entry) => entry.err?.message?.includes('hunter2'));
    expect(logged).toMatchObject({ reqId: requestId, level: 50 });
  });
});

describe('bodies at the default size limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('node data nested 5,000 deep → 400 naming the limit, not a stack overflow', async () => {
    const data = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const payload = `{"name":"deep","nodes":[{"id":"a","type":"test.note","position":{"x":0,"y":0},"data":${data}}],"edges":[]}`;
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/workflows',
      headers: { ...t.auth, 'content-type': 'application/json' },
      payload,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain(`more than ${MAX_JSON_DEPTH} levels deep`);
  });
});
