import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signBody } from '../../../test/stand-ins/chat-platform.ts';
import { signatureHeaders } from '../signing/webhook-signature.ts';
import { startTestApp, type TestApp } from './test-app.ts';

const event = {
  eventId: 'evt-auth-1',
  conversation: { id: 'conv-1' },
  contact: { id: 'contact-1', name: 'Ada' },
};

describe('API key', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('refuses /api calls without the key, saying how to send it', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/workflows' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({
      code: 'UNAUTHORIZED',
      message: 'Missing or wrong API key: send Authorization: Bearer <key> (printed at start, or API_KEY)',
    });
  });

  it.each([
    ['a wrong key', () => 'Bearer not-the-key'],
    ['the key with one character more', (key: string) => `Bearer ${key}x`],
    ['the key without the Bearer scheme', (key: string) => key],
    ['Basic auth', () => 'Basic dXNlcjpwYXNz'],
    ['an empty bearer', () => 'Bearer '],
  ])('refuses %s', async (_name, header) => {
    const key = t.auth.authorization.slice('Bearer '.length);
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/workflows',
      headers: { authorization: header(key) },
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('UNAUTHORIZED');
  });

  it('checks the key before reading the body', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/workflows',
      headers: { 'content-type': 'application/json' },
      payload: '{not json',
    });
    expect(response.statusCode).toBe(401);
  });

  it('lets the right key through', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/workflows', headers: t.auth });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual([]);
  });

  it('keeps health, readiness and docs open', async () => {
    for (const url of ['/health', '/ready', '/docs/json', '/docs']) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
    }
  });

  it('answers unknown /api paths 404 without running anything, key or not', async () => {
    const response = await t.app.inject({ method: 'DELETE', url: '/api/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('NOT_FOUND');
  });
});

describe('platform webhook signatures', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const webhooks = ['/api/events/conversation-closed', '/api/messages/inbound'];

  it.each(webhooks)('%s refuses an unsigned call, saying how to sign', async (url) => {
    const response = await t.app.inject({ method: 'POST', url, payload: event });
    expect(response.statusCode).toBe(401);
    const body = response.json();
    expect(body.code).toBe('BAD_SIGNATURE');
    expect(body.message).toContain('x-signature-256');
    expect(body.message).toContain('HMAC-SHA256');
  });

  it.each(webhooks)('%s does not accept the API key instead of a signature', async (url) => {
    const response = await t.app.inject({ method: 'POST', url, headers: t.auth, payload: event });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('BAD_SIGNATURE');
  });

  it.each([
    ['signed with another secret', signBody(JSON.stringify(event), 'another-secret')],
    ['not hex', `sha256=${'z'.repeat(64)}`],
    ['too short', 'sha256=abcd'],
    ['without the sha256= prefix', signBody(JSON.stringify(event), 'x').slice('sha256='.length)],
    ['sha1', `sha1=${'a'.repeat(40)}`],
  ])('refuses a signature %s', async (_name, signature) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/events/conversation-closed',
      headers: { 'content-type': 'application/json', 'x-signature-256': signature },
      payload: JSON.stringify(event),
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('BAD_SIGNATURE');
  });

  it('signs the raw bytes: the same JSON re-serialized with other spacing does not verify', async () => {
    const { headers } = t.signed(event);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/events/conversation-closed',
      headers,
      payload: JSON.stringify(event, null, 2),
    });
    expect(response.statusCode).toBe(401);
  });

  it('checks the signature before parsing: unsigned malformed JSON is a 401, not a parse error', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/messages/inbound',
      headers: { 'content-type': 'application/json' },
      payload: '{"conversationId": ',
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('BAD_SIGNATURE');
  });

  it('refuses a signed route called with no body and no signature', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/messages/inbound' });
    expect(response.statusCode).toBe(401);
  });

  it('accepts a correctly signed call (uppercase hex too)', async () => {
    const { headers, payload } = t.signed({ conversationId: 'conv-none', contactId: 'c', text: 'hi' });
    const upper = { ...headers, 'x-signature-256': `sha256=${headers['x-signature-256']?.slice(7).toUpperCase()}` };
    const response = await t.app.inject({ method: 'POST', url: '/api/messages/inbound', headers: upper, payload });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ runId: null });
  });

  it('never logs the key or the signature', async () => {
    const { headers, payload } = t.signed({ conversationId: 'conv-log', contactId: 'c', text: 'hi' });
    await t.app.inject({ method: 'POST', url: '/api/messages/inbound', headers, payload });
    await t.app.inject({ method: 'GET', url: '/api/workflows', headers: t.auth });
    const logs = t.logs.join('\n');
    expect(logs).not.toContain(t.auth.authorization.slice('Bearer '.length));
    expect(logs).not.toContain(headers['x-signature-256']?.slice(7));
  });

  it('redacts credentials whatever a route logs', () => {
    t.app.log.info(
      {
        req: { headers: { authorization: 'Bearer leaked-key', 'x-signature-256': 'sha256=leaked-signature' } },
        connection: { serviceAccountKey: { private_key: 'leaked-pem' } },
        key: { private_key: 'leaked-pem-2' },
      },
      'logging a careless object',
    );
    const line = t.logs.find((entry) => entry.includes('logging a careless object')) ?? '';
    expect(line).toContain('[redacted]');
    expect(line).not.toMatch(/leaked/);
  });
});

describe('timestamped signatures and replays', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const inbound = (headers: Record<string, string>, payload: string) =>
    t.app.inject({ method: 'POST', url: '/api/messages/inbound', headers, payload });
  const reply = JSON.stringify({ conversationId: 'conv-ts', contactId: 'c', text: '4' });

  it('accepts a call signed over "<timestamp>.<body>" within five minutes either way', async () => {
    for (const offset of [0, -299_000, 299_000]) {
      const headers = {
        'content-type': 'application/json',
        ...signatureHeaders(reply, t.webhookSecret, Date.now() + offset),
      };
      expect((await inbound(headers, reply)).statusCode, `offset ${offset}`).toBe(202);
    }
  });

  it('refuses a timestamp outside the window, saying how far off it is', async () => {
    const headers = {
      'content-type': 'application/json',
      ...signatureHeaders(reply, t.webhookSecret, Date.now() - 3_600_000),
    };
    const response = await inbound(headers, reply);
    expect(response.statusCode).toBe(401);
    expect(response.json().message).toMatch(/x-signature-timestamp is 360\d s away from this server's clock/);
  });

  it('refuses a timestamp changed after signing', async () => {
    const signed = signatureHeaders(reply, t.webhookSecret);
    const moved = String(Number(signed['x-signature-timestamp']) - 1);
    const headers = { 'content-type': 'application/json', ...signed, 'x-signature-timestamp': moved };
    expect((await inbound(headers, reply)).statusCode).toBe(401);
  });

  it('still accepts the body-only signature of the previous release', async () => {
    const headers = { 'content-type': 'application/json', 'x-signature-256': signBody(reply, t.webhookSecret) };
    expect((await inbound(headers, reply)).statusCode).toBe(202);
  });

  it('deduplicates a reply without eventId by its signed bytes, for the window only', async () => {
    const reply = JSON.stringify({ conversationId: 'conv-replay', contactId: 'c', text: '5' });
    const markers = () => t.redis.keys(`${t.prefix}inbound:signed:*`);
    const before = await markers();
    const headers = { 'content-type': 'application/json', ...signatureHeaders(reply, t.webhookSecret) };
    const first = await inbound(headers, reply);
    const again = await inbound(headers, reply);
    expect(first.statusCode).toBe(202);
    expect(again.json()).toEqual(first.json());
    const added = (await markers()).filter((key) => !before.includes(key));
    expect(added).toHaveLength(1);
    const ttl = await t.redis.ttl(added[0] ?? '');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(600);
  });
});

describe('signed routes and content types', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream', 'text/json'])(
    'refuses %s on a signed route before reading it, even signed as an empty body',
    async (contentType) => {
      const emptySigned = signatureHeaders('', t.webhookSecret);
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/events/conversation-closed',
        headers: { ...emptySigned, 'content-type': contentType },
        payload: JSON.stringify(event),
      });
      expect(response.statusCode).toBe(415);
      expect(response.json().message).toContain('Content-Type: application/json');
    },
  );

  it('verifies the raw bytes with a charset parameter too', async () => {
    const payload = JSON.stringify({ conversationId: 'conv-cs', contactId: 'c', text: 'hi' });
    const headers = { ...t.signRaw(payload), 'content-type': 'application/json; charset=utf-8' };
    const response = await t.app.inject({ method: 'POST', url: '/api/messages/inbound', headers, payload });
    expect(response.statusCode).toBe(202);
  });
});

describe('metrics token', () => {
  let t: TestApp;
  const metricsToken = 'metrics-token-0123456789';
  beforeAll(async () => {
    t = await startTestApp({ app: { metricsToken } });
  });
  afterAll(() => t.close());

  it('serves /metrics to METRICS_TOKEN or the API key, and to nobody else', async () => {
    const scrape = (authorization?: string) =>
      t.app.inject({ url: '/metrics', headers: authorization ? { authorization } : {} });
    expect((await scrape(`Bearer ${metricsToken}`)).statusCode).toBe(200);
    expect((await scrape(t.auth.authorization)).statusCode).toBe(200);
    const refused = await scrape();
    expect(refused.statusCode).toBe(401);
    expect(refused.json().message).toContain('METRICS_TOKEN');
    expect(refused.body).not.toContain('workflow');
    expect((await scrape('Bearer wrong-token-0123456789')).statusCode).toBe(401);
  });

  it('does not let the metrics token call the API', async () => {
    const response = await t.app.inject({
      url: '/api/workflows',
      headers: { authorization: `Bearer ${metricsToken}` },
    });
    expect(response.statusCode).toBe(401);
  });
});

describe('Host header (DNS rebinding)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ app: { allowedHosts: ['localhost', '127.0.0.1', '[::1]', 'flows.example.com'] } });
  });
  afterAll(() => t.close());

  it.each(['localhost:3000', '127.0.0.1:3000', '[::1]:3000', 'LOCALHOST', 'flows.example.com'])(
    'serves Host %s',
    async (host) => {
      const response = await t.app.inject({ url: '/api/workflows', headers: { ...t.auth, host } });
      expect(response.statusCode).toBe(200);
    },
  );

  it.each([
    'attacker.example:3000',
    'localhost.attacker.example',
    '127.0.0.1.nip.io',
    'localhost@attacker.example',
    'localhost:3000:1',
  ])('refuses Host "%s" with 403 before authenticating, even with the key', async (host) => {
    const response = await t.app.inject({ url: '/api/workflows', headers: { ...t.auth, host } });
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('HOST_NOT_ALLOWED');
  });

  it('refuses a rebound Host on the editor and probes too', async () => {
    for (const url of ['/health', '/docs/json']) {
      const response = await t.app.inject({ url, headers: { host: 'rebind.attacker.example' } });
      expect(response.statusCode, url).toBe(403);
    }
  });
});
