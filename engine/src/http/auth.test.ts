import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signBody } from './signature.ts';
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

  it('keeps health, readiness, metrics and docs open', async () => {
    for (const url of ['/health', '/ready', '/metrics', '/docs/json']) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
    }
  });

  it('requires the key on unknown /api paths too', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(response.statusCode).toBe(401);
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
