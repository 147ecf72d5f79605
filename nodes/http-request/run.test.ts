import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testStepContext } from '@convoflow/engine';
import { guardedConnector } from '@convoflow/engine/net';
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { httpRequest } from './definition.ts';
import { httpRequestRunner } from './run.ts';
import { send } from './send.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Handler = (request: Seen, res: ServerResponse) => void;

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A real HTTP server answering in turn with `handlers` (the last one repeats). */
async function serve(handlers: Handler[], host = '127.0.0.1') {
  const seen: Seen[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(Buffer.from(chunk));
    const request = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: Buffer.concat(chunks).toString(),
    };
    seen.push(request);
    handlers[Math.min(seen.length, handlers.length) - 1]!(request, res);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const handle = {
    url: `http://${host}:${port}`,
    port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(handle);
  return handle;
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Handler =>
  (_request, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

const scope = {
  conversation: { id: 'conv-1' },
  contact: { name: 'Ada "the Countess" Lovelace', id: 'A&B #1' },
  rating: 4,
};

function run(data: Record<string, unknown>, options: { allowPrivateNetwork?: boolean } = {}) {
  const ctx = testStepContext(httpRequest.schema.parse(data), {
    scope,
    services: { allowPrivateNetwork: options.allowPrivateNetwork ?? true },
  });
  return { ctx, outcome: httpRequestRunner.run(ctx) };
}

describe('http.request', () => {
  it('POSTs a JSON body keeping $rating a number and quotes escaped, with an Idempotency-Key, and saves the response', async () => {
    const crm = await serve([json(201, { id: 'csat-9', ok: true })]);
    const { ctx, outcome } = run({
      method: 'POST',
      url: `${crm.url}/api/csat`,
      headers: [{ name: 'Content-Type', value: 'application/json' }],
      body: '{"conversationId": "$conversation.id", "rating": $rating, "name": "$contact.name"}',
      saveResponseAs: 'crm',
    });
    expect(await outcome).toMatchObject({
      type: 'exit',
      exit: 'success',
      variables: { crm: { status: 201, body: { id: 'csat-9', ok: true } } },
    });
    expect(crm.seen).toHaveLength(1);
    expect(JSON.parse(crm.seen[0]!.body)).toEqual({
      conversationId: 'conv-1',
      rating: 4,
      name: 'Ada "the Countess" Lovelace',
    });
    expect(crm.seen[0]!.headers['idempotency-key']).toBe(ctx.idempotencyKey);
  });

  it('reports the request as sent and the response for the run log, query and typed credentials hidden', async () => {
    const crm = await serve([json(201, { id: 'csat-9' })]);
    const result = await run({
      method: 'POST',
      url: `${crm.url}/api/csat?token=abc`,
      headers: [{ name: 'Authorization', value: 'Bearer typed-in-token' }],
      body: '{"conversationId": "$conversation.id", "rating": $rating}',
    }).outcome;
    expect(result).toMatchObject({
      sent: {
        method: 'POST',
        url: `${crm.url}/api/csat?…`,
        headers: { Authorization: '[hidden]', 'Content-Type': 'application/json' },
        body: { conversationId: 'conv-1', rating: 4 },
      },
      received: { status: 201, headers: { 'content-type': 'application/json' }, body: { id: 'csat-9' } },
    });
    expect(JSON.stringify(result)).not.toContain('typed-in-token');
  });

  it('keeps an Idempotency-Key the operator set, and sends a non-JSON body as text', async () => {
    const hook = await serve([(_r, res) => res.end('thanks')]);
    const { outcome } = await run({
      method: 'PUT',
      url: `${hook.url}/notes`,
      headers: [{ name: 'idempotency-key', value: 'mine-$conversation.id' }],
      body: 'Rating $rating from $contact.name',
      saveResponseAs: 'hook',
    });
    expect(await outcome).toMatchObject({ exit: 'success', variables: { hook: { status: 200, body: 'thanks' } } });
    expect(hook.seen[0]!.headers['idempotency-key']).toBe('mine-conv-1');
    expect(hook.seen[0]!.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(hook.seen[0]!.body).toBe('Rating 4 from Ada "the Countess" Lovelace');
  });

  it('percent-encodes values inserted into the URL, but uses a URL that is one variable as it is', async () => {
    const api = await serve([json(200, {})]);
    await run({ method: 'GET', url: `${api.url}/contacts?id=$contact.id&c=$conversation.id` }).outcome;
    expect(api.seen[0]!.url).toBe('/contacts?id=A%26B%20%231&c=conv-1');

    const ctx = testStepContext(httpRequest.schema.parse({ method: 'GET', url: '$hook.url' }), {
      scope: { hook: { url: `${api.url}/raw?a=1&b=2` } },
      services: { allowPrivateNetwork: true },
    });
    expect(await httpRequestRunner.run(ctx)).toMatchObject({ exit: 'success' });
    expect(api.seen[1]!.url).toBe('/raw?a=1&b=2');
  });

  it('retries a 500 and succeeds on the next attempt with the same Idempotency-Key', async () => {
    const crm = await serve([json(500, { error: 'boom' }), json(200, { ok: true })]);
    const { outcome } = run({ method: 'POST', url: `${crm.url}/x`, body: '{"r": $rating}', saveResponseAs: 'crm' });
    const result = await outcome;
    expect(result).toMatchObject({ exit: 'success', variables: { crm: { status: 200 } } });
    expect(result.note).toMatch(/after 2 attempts/);
    expect(crm.seen.map((r) => r.headers['idempotency-key'])).toEqual([
      crm.seen[0]!.headers['idempotency-key'],
      crm.seen[0]!.headers['idempotency-key'],
    ]);
  });

  it('honours Retry-After on 429, and gives up at once when it asks for longer than the step waits', async () => {
    const limited = await serve([json(429, { error: 'slow down' }, { 'retry-after': '1' }), json(200, { ok: true })]);
    expect(await run({ method: 'GET', url: `${limited.url}/a` }).outcome).toMatchObject({ exit: 'success' });
    expect(limited.seen).toHaveLength(2);

    const closed = await serve([json(429, { error: 'come back tomorrow' }, { 'retry-after': '3600' })]);
    const result = await run({ method: 'GET', url: `${closed.url}/a`, saveResponseAs: 'r' }).outcome;
    expect(result).toMatchObject({ exit: 'failure', variables: { r: { status: 429 } } });
    expect(result.note).toMatch(/retry after 3600 s/);
    expect(closed.seen).toHaveLength(1);
  });

  it('takes the failure exit after the retries, with the last status saved', async () => {
    const down = await serve([json(503, { error: 'down' }, { 'retry-after': '0' })]);
    const result = await run({ method: 'POST', url: `${down.url}/a`, retries: 2, saveResponseAs: 'crm' }).outcome;
    expect(result).toMatchObject({ exit: 'failure', variables: { crm: { status: 503, body: { error: 'down' } } } });
    expect(down.seen).toHaveLength(3);
  });

  it('does not retry a 4xx other than 429', async () => {
    const api = await serve([json(404, { error: 'no such contact' })]);
    const result = await run({ method: 'GET', url: `${api.url}/a`, retries: 3 }).outcome;
    expect(result).toMatchObject({ exit: 'failure' });
    expect(result.note).toMatch(/HTTP 404/);
    expect(api.seen).toHaveLength(1);
  });

  it('gives up on a server that does not answer within the timeout', async () => {
    const silent = await serve([() => undefined]);
    const result = await run({ method: 'GET', url: `${silent.url}/a`, timeoutMs: 200, retries: 1, saveResponseAs: 'r' })
      .outcome;
    expect(result).toMatchObject({ exit: 'failure', variables: { r: { status: 0, body: null } } });
    expect(result.note).toMatch(/after 2 attempts: no response within 200 ms/);
    expect(silent.seen).toHaveLength(2);
  });

  it('truncates a large response body at 256 KB', async () => {
    const big = await serve([(_r, res) => res.end('x'.repeat(300 * 1024))]);
    const result = await run({ method: 'GET', url: `${big.url}/dump`, saveResponseAs: 'r' }).outcome;
    expect(result.note).toMatch(/truncated at 256 KB/);
    expect(result).toMatchObject({ exit: 'success', variables: { r: { status: 200, body: 'x'.repeat(256 * 1024) } } });
  });

  it('takes the failure exit on a refused connection after retrying', async () => {
    const gone = await serve([json(200, {})]);
    await gone.close();
    const result = await run({ method: 'GET', url: `${gone.url}/a`, retries: 1 }).outcome;
    expect(result).toMatchObject({ exit: 'failure', sent: { method: 'GET', url: `${gone.url}/a` } });
    expect(result.note).toMatch(/ECONNREFUSED/);
    expect(result.received).toEqual({ error: expect.stringMatching(/ECONNREFUSED/) });
  });

  describe('private network guard', () => {
    it.each([
      ['a loopback IP', (port: number) => `http://127.0.0.1:${port}/a`],
      ['a DNS name resolving to loopback', (port: number) => `http://localhost:${port}/a`],
      ['IPv6 loopback', (port: number) => `http://[::1]:${port}/a`],
      ['an IPv4-mapped IPv6 loopback', (port: number) => `http://[::ffff:127.0.0.1]:${port}/a`],
    ])('refuses %s unless private addresses are allowed', async (_name, url) => {
      const target = await serve([json(200, { secret: true })]);
      const result = await run({ method: 'GET', url: url(target.port), retries: 2 }, { allowPrivateNetwork: false })
        .outcome;
      expect(result).toMatchObject({ exit: 'failure' });
      expect(result.note).toMatch(/is loopback .*may not reach loopback, private, link-local or reserved addresses/);
      expect(result.note).toContain('HTTP_ALLOW_PRIVATE=true');
      expect(target.seen).toHaveLength(0);
    });

    it('reaches the same loopback target when HTTP_ALLOW_PRIVATE is on', async () => {
      const target = await serve([json(200, { ok: true })]);
      const result = await run(
        { method: 'GET', url: `http://localhost:${target.port}/a` },
        { allowPrivateNetwork: true },
      ).outcome;
      expect(result).toMatchObject({ exit: 'success' });
      expect(target.seen).toHaveLength(1);
    });

    it('checks each redirect hop: a public-looking first hop cannot bounce the call to a refused address', async () => {
      const internal = await serve([json(200, { secret: true })], '127.0.0.1');
      const bouncer = await serve(
        [
          (_r, res) => {
            res.writeHead(302, { location: `http://127.0.0.1:${internal.port}/admin` });
            res.end();
          },
        ],
        '127.0.0.2',
      );
      // Only 127.0.0.1 counts as private here, so the first hop (127.0.0.2) stands for a public host.
      const refusal = (address: string) => (address === '127.0.0.1' ? 'the internal service' : null);
      const dispatcher = new Agent({ connect: guardedConnector({ refusal }) });
      const result = await send(
        { method: 'GET', url: `${bouncer.url}/start`, headers: {} },
        { dispatcher, timeoutMs: 2000, retries: 2, signal: new AbortController().signal },
      );
      await dispatcher.close();
      expect(result).toMatchObject({ kind: 'error', attempts: 1 });
      expect(bouncer.seen).toHaveLength(1);
      expect(internal.seen).toHaveLength(0);
    });

    it('follows redirects when allowed: 303 turns a POST into a GET, credentials stay with their origin', async () => {
      const target = await serve([json(200, { done: true })], '127.0.0.1');
      const origin = await serve(
        [
          (_r, res) => {
            res.writeHead(303, { location: `http://127.0.0.1:${target.port}/result` });
            res.end();
          },
        ],
        '127.0.0.2',
      );
      const result = await run({
        method: 'POST',
        url: `${origin.url}/submit`,
        headers: [{ name: 'Authorization', value: 'Bearer s3cret' }],
        body: '{"r": $rating}',
        saveResponseAs: 'r',
      }).outcome;
      expect(result).toMatchObject({ exit: 'success', variables: { r: { status: 200, body: { done: true } } } });
      expect(origin.seen[0]).toMatchObject({ method: 'POST', body: '{"r": 4}' });
      expect(origin.seen[0]!.headers.authorization).toBe('Bearer s3cret');
      expect(target.seen[0]).toMatchObject({ method: 'GET', url: '/result', body: '' });
      expect(target.seen[0]!.headers.authorization).toBeUndefined();
    });
  });
});

describe('http.request header secrets', () => {
  const token = 'crm_live_9d2c4b7a1e6f';
  const connections = { 'crm-token': { id: 'crm-token', type: 'secret' as const, name: 'CRM token', value: token } };

  function runWithSecrets(data: Record<string, unknown>, stepScope: Record<string, unknown> = scope) {
    const ctx = testStepContext(httpRequest.schema.parse(data), {
      scope: stepScope,
      connections,
      services: { allowPrivateNetwork: true },
    });
    return { ctx, outcome: httpRequestRunner.run(ctx) };
  }

  const echoHeaders: Handler = (request, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ authorization: request.headers.authorization, answer: request.headers['x-answer'] }));
  };

  it('sends the secret in the header, never fills in a reference a contact typed, and masks what it saves', async () => {
    const crm = await serve([echoHeaders]);
    const { ctx, outcome } = runWithSecrets(
      {
        method: 'GET',
        url: `${crm.url}/me`,
        headers: [
          { name: 'Authorization', value: 'Bearer {{secret:crm-token}}' },
          { name: 'X-Answer', value: '$answer' },
        ],
        saveResponseAs: 'crm',
      },
      { answer: '{{secret:crm-token}}' },
    );
    const result = await outcome;
    expect(crm.seen[0]!.headers.authorization).toBe(`Bearer ${token}`);
    expect(crm.seen[0]!.headers['x-answer']).toBe('{{secret:crm-token}}');
    expect(result).toMatchObject({
      exit: 'success',
      variables: { crm: { body: { authorization: 'Bearer [secret:crm-token]', answer: '{{secret:crm-token}}' } } },
      sent: { headers: { Authorization: 'Bearer [secret:crm-token]', 'X-Answer': '{{secret:crm-token}}' } },
      received: { status: 200, body: { authorization: 'Bearer [secret:crm-token]' } },
    });
    expect(JSON.stringify([result, ctx.warnings, ctx.infos])).not.toContain(token);
  });

  it('masks the secret in the step note when the server puts it in a redirect location', async () => {
    const looping = await serve([
      (request, res) => {
        res.writeHead(302, { location: `/echo/${encodeURIComponent(String(request.headers['x-api-key']))}` });
        res.end();
      },
    ]);
    const result = await runWithSecrets({
      method: 'GET',
      url: `${looping.url}/start`,
      headers: [{ name: 'X-Api-Key', value: '{{secret:crm-token}}' }],
    }).outcome;
    expect(looping.seen.at(-1)!.headers['x-api-key']).toBe(token);
    expect(result.note).toMatch(/stopped after 5 redirects \(last to \/echo\/\[secret:crm-token\]\)/);
    expect(result.note).not.toContain(token);
  });

  it('does not forward a header holding a secret to another origin on redirect', async () => {
    const elsewhere = await serve([json(200, { ok: true })], '127.0.0.1');
    const crm = await serve(
      [
        (_request, res) => {
          res.writeHead(307, { location: `http://127.0.0.1:${elsewhere.port}/collect` });
          res.end();
        },
      ],
      '127.0.0.2',
    );
    const result = await runWithSecrets({
      method: 'GET',
      url: `${crm.url}/start`,
      headers: [{ name: 'X-Api-Key', value: '{{secret:crm-token}}' }],
    }).outcome;
    expect(result).toMatchObject({ exit: 'success' });
    expect(crm.seen[0]!.headers['x-api-key']).toBe(token);
    expect(elsewhere.seen[0]!.headers['x-api-key']).toBeUndefined();
  });

  it('takes the failure exit naming a missing secret, without sending', async () => {
    const crm = await serve([json(200, {})]);
    const result = await runWithSecrets({
      method: 'GET',
      url: `${crm.url}/me`,
      headers: [{ name: 'Authorization', value: 'Bearer {{secret:crm-tokn}}' }],
    }).outcome;
    expect(result).toMatchObject({ exit: 'failure' });
    expect(result.note).toMatch(/\{\{secret:…\}\} cannot be filled in: Connection "crm-tokn" does not exist/);
    expect(crm.seen).toHaveLength(0);
  });

  it('refuses a secret reference outside header values, and lists those in headers for publishing', () => {
    const parsed = httpRequest.schema.safeParse({ url: 'https://crm.example.com/?key={{secret:crm-token}}' });
    expect(parsed.error?.issues[0]?.message).toMatch(/header values only/);
    const data = httpRequest.schema.parse({
      url: 'https://crm.example.com',
      headers: [
        { name: 'Accept', value: 'application/json' },
        { name: 'Authorization', value: 'Bearer {{secret:crm-token}}' },
      ],
    });
    expect(httpRequest.secretReferences?.(data)).toEqual([{ connectionId: 'crm-token', field: 'headers.1.value' }]);
  });
});
