import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './test-app.ts';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
/** A line from the middle of the key: present in any leak, whatever the escaping. */
const keyFragment = pem.split('\n')[3] ?? pem;

const input = {
  id: 'google',
  type: 'google',
  name: 'Support sheets',
  serviceAccountKey: {
    type: 'service_account',
    client_email: 'bot@project.iam.gserviceaccount.com',
    private_key: pem,
    private_key_id: 'key-id-secret-123',
  },
  apiEndpoint: 'https://sheets-proxy.example.com/',
};

const token = 'crm_live_5e8b1f0a9c3d7e2f';
const secretInput = { id: 'crm-token', type: 'secret', name: 'CRM token', value: token };

describe('connection routes never return a secret', () => {
  let t: TestApp;
  const bodies: string[] = [];
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const record = async (...args: Parameters<TestApp['api']>) => {
    const response = await t.api(...args);
    bodies.push(response.body);
    return response;
  };

  it('creates (201) and answers with the summary only', async () => {
    const response = await record('POST', '/api/connections', input);
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({
      id: 'google',
      type: 'google',
      name: 'Support sheets',
      clientEmail: 'bot@project.iam.gserviceaccount.com',
      apiEndpoint: 'https://sheets-proxy.example.com/',
      createdAt: expect.any(Number),
    });
  });

  it('lists and reads summaries', async () => {
    const list = await record('GET', '/api/connections');
    expect(list.json()).toEqual([
      expect.objectContaining({ id: 'google', clientEmail: input.serviceAccountKey.client_email }),
    ]);
    const one = await record('GET', '/api/connections/google');
    expect(one.statusCode).toBe(200);
  });

  it('refuses a key that is not a PEM private key, naming the field', async () => {
    const response = await record('POST', '/api/connections', {
      ...input,
      id: 'bad',
      serviceAccountKey: { ...input.serviceAccountKey, private_key: 'hunter2' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain('body.serviceAccountKey.private_key');
  });

  it('creates a secret (201) and never answers with anything of its value', async () => {
    const created = await record('POST', '/api/connections', secretInput);
    expect(created.statusCode).toBe(201);
    const summary = { id: 'crm-token', type: 'secret', name: 'CRM token', createdAt: expect.any(Number) };
    expect(created.json()).toEqual(summary);
    expect((await record('GET', '/api/connections/crm-token')).json()).toEqual(summary);
    expect((await record('GET', '/api/connections')).json()).toContainEqual(summary);
    const raw = await t.redis.hget(`${t.prefix}connections`, 'crm-token');
    expect(raw).not.toContain(token);
    expect((await record('DELETE', '/api/connections/crm-token')).statusCode).toBe(204);
  });

  it('refuses a secret without a value, naming the field', async () => {
    const response = await record('POST', '/api/connections', { ...secretInput, value: undefined });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain('body.value');
  });

  it.each([
    ['http://127.0.0.1:9/sheets', /points at 127\.0\.0\.1, which is loopback/],
    ['http://2130706433:9/', /points at 127\.0\.0\.1, which is loopback/],
    ['http://localhost:8080', /points at localhost, which is a name that resolves only inside/],
    ['http://metadata.google.internal/', /which is a name that resolves only inside/],
    ['http://169.254.169.254/', /which is link-local/],
    ['http://[::ffff:7f00:1]/', /IPv4-mapped, standing for 127\.0\.0\.1/],
    ['http://[fd00::1]/', /unique local/],
  ])(
    'refuses an apiEndpoint at %s while private targets are not allowed (400, field named)',
    async (apiEndpoint, why) => {
      const response = await record('POST', '/api/connections', { ...input, id: 'internal', apiEndpoint });
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('FORBIDDEN_ADDRESS');
      expect(response.json().message).toMatch(/^apiEndpoint /);
      expect(response.json().message).toMatch(why);
      expect(response.json().message).toContain('HTTP_ALLOW_PRIVATE=true');
      expect((await record('GET', '/api/connections/internal')).statusCode).toBe(404);
    },
  );

  it('refuses an apiEndpoint that is not http(s)', async () => {
    const response = await record('POST', '/api/connections', {
      ...input,
      id: 'file',
      apiEndpoint: 'file:///etc/passwd',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain('body.apiEndpoint');
  });

  it('deletes (204)', async () => {
    expect((await record('DELETE', '/api/connections/google')).statusCode).toBe(204);
    expect((await record('GET', '/api/connections/google')).statusCode).toBe(404);
  });

  it('no response and no log line ever held the secret', () => {
    const everything = [...bodies, ...t.logs].join('\n');
    expect(everything).not.toContain(keyFragment);
    expect(everything).not.toContain('key-id-secret-123');
    expect(everything).not.toContain('hunter2');
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(token.slice(-4));
  });
});
