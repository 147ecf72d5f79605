import { connect, createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './test-app.ts';

/** Every path of DESIGN.md's public contract and of the editor's client. */
const contractPaths = {
  '/api/workflows': ['get', 'post'],
  '/api/workflows/{id}': ['get', 'put', 'delete'],
  '/api/workflows/{id}/publish': ['post'],
  '/api/workflows/{id}/validate': ['post'],
  '/api/workflows/{id}/versions/{version}': ['get'],
  '/api/workflows/{id}/shortcut': ['post'],
  '/api/workflows/{id}/simulate': ['post'],
  '/api/workflows/{id}/csat': ['get'],
  '/api/workflows/{id}/csat/answers.csv': ['get'],
  '/api/events/conversation-closed': ['post'],
  '/api/messages/inbound': ['post'],
  '/api/connections': ['get', 'post'],
  '/api/connections/{id}': ['get', 'delete'],
  '/api/runs': ['get'],
  '/api/runs/{id}': ['get'],
  '/api/runs/{id}/cancel': ['post'],
  '/api/runs/{id}/reply': ['post'],
  '/api/runs/{id}/retry': ['post'],
  '/api/workflows/{id}/runs/retry': ['post'],
  '/api/nodes/{type}/test': ['post'],
  '/api/node-types': ['get'],
  '/health': ['get'],
  '/ready': ['get'],
  '/metrics': ['get'],
};

describe('operations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('/health and /ready answer 200 with Redis up', async () => {
    expect((await t.app.inject({ url: '/health' })).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ url: '/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
  });

  it('/metrics serves the Prometheus text of the registry', async () => {
    const response = await t.app.inject({ url: '/metrics', headers: t.auth });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.body).toContain('# TYPE convoflow_runs_started_total counter');
    // Labelled gauges appear only once set: proof the runtime refreshed them for this scrape.
    expect(response.body).toMatch(/^convoflow_queue_jobs\{state="waiting"\} \d+$/m);
  });

  it('the OpenAPI document lists every contract path with both security schemes', async () => {
    const response = await t.app.inject({ url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    for (const [path, methods] of Object.entries(contractPaths)) {
      for (const method of methods) expect(document.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual([
      'bearer',
      'channelSignature',
      'channelToken',
      'metricsToken',
      'session',
      'signature',
      'signatureTimestamp',
    ]);
    expect(document.paths['/api/messages/inbound'].post.security).toEqual([
      { signature: [], signatureTimestamp: [] },
      { signature: [] },
    ]);
    expect(document.paths['/metrics'].get.security).toEqual([{ metricsToken: [] }, { bearer: [] }]);
    expect(document.paths['/health'].get.security).toEqual([]);
    expect(document.paths['/api/workflows'].post.security).toEqual([{ bearer: [] }, { session: [] }]);
    const eventBody =
      document.paths['/api/events/conversation-closed'].post.requestBody.content['application/json'].schema;
    expect(eventBody.required).toEqual(expect.arrayContaining(['eventId', 'conversation', 'contact']));
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await t.app.inject({ url: '/docs' });
    const page =
      response.statusCode === 302 ? await t.app.inject({ url: String(response.headers.location) }) : response;
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
  });

  it('lists the node registry with JSON schemas of node data', async () => {
    const response = await t.api('GET', '/api/node-types');
    expect(response.statusCode).toBe(200);
    const note = response.json().find((type: { type: string }) => type.type === 'test.note');
    expect(note).toMatchObject({
      label: 'Note',
      group: 'Actions',
      pauses: false,
      trigger: null,
      schema: { type: 'object', properties: { text: { type: 'string', minLength: 1 } }, required: ['text'] },
    });
    const trigger = response.json().find((type: { type: string }) => type.type === 'test.closed');
    expect(trigger.trigger).toBe('conversation.closed');
  });

  it('the CSAT report and the CSV export of a workflow', async () => {
    expect(
      (await t.api('POST', '/api/workflows', { name: 'Survey', id: 'wf-csat', nodes: [], edges: [] })).statusCode,
    ).toBe(201);
    const report = await t.api('GET', '/api/workflows/wf-csat/csat?from=2026-01-01&to=2026-01-31&benchmark=4');
    expect(report.statusCode).toBe(200);
    expect(report.json()).toMatchObject({ workflowId: 'wf-csat', asked: 0, answered: 0, benchmark: 4 });

    const csv = await t.api('GET', '/api/workflows/wf-csat/csat/answers.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="wf-csat-answers.csv"');

    const badDate = await t.api('GET', '/api/workflows/wf-csat/csat?from=January');
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json().message).toContain('querystring.from');
  });
});

describe('when Redis goes away', () => {
  let t: TestApp;
  let proxy: RedisProxy;
  beforeAll(async () => {
    proxy = await startRedisProxy();
    t = await startTestApp({ redisUrl: `redis://127.0.0.1:${proxy.port}` });
    expect((await t.app.inject({ url: '/ready' })).statusCode).toBe(200);
    await proxy.cut();
  });
  afterAll(() => t.close());

  it('/ready answers 503 while /health stays 200', async () => {
    const ready = await t.app.inject({ url: '/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'unavailable', message: expect.stringContaining('REDIS_URL') });
    expect((await t.app.inject({ url: '/health' })).statusCode).toBe(200);
  });

  it('API calls answer 503 UNAVAILABLE with Retry-After, not 500', async () => {
    const response = await t.api('GET', '/api/workflows');
    expect(response.statusCode).toBe(503);
    expect(response.json().code).toBe('UNAVAILABLE');
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  });
});

interface RedisProxy {
  port: number;
  /** Drops every connection and stops listening: Redis is unreachable from then on. */
  cut(): Promise<void>;
}

/** A TCP relay to the test Redis that a test can cut, as a Redis going down would. */
async function startRedisProxy(): Promise<RedisProxy> {
  const target = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 6379), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => socket.destroy());
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no TCP address');
  return {
    port: address.port,
    async cut() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
