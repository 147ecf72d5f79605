import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { ConnectionNotFoundError } from '../sdk/errors.ts';
import { ConnectionStore } from './connection-store.ts';
import { testRedis } from './test-redis.ts';

const { redis, prefix, cleanup } = testRedis();
const key = randomBytes(32);
/** Its connections point at a loopback stand-in, as with HTTP_ALLOW_PRIVATE=true. */
const store = new ConnectionStore(redis, prefix, key, { allowPrivateNetwork: true });
afterAll(cleanup);

const privateKey = generateKeyPairSync('rsa', { modulusLength: 1024 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const serviceAccountKey = {
  type: 'service_account' as const,
  client_email: 'sheets@project.iam.gserviceaccount.com',
  private_key: privateKey,
  private_key_id: 'key-id-123',
  client_secret: 'very-secret-client-secret-text',
};

describe('ConnectionStore', () => {
  it('stores the key encrypted and returns only the summary', async () => {
    const summary = await store.create({
      id: 'google',
      type: 'google',
      name: 'Support Google',
      serviceAccountKey,
      apiEndpoint: 'http://127.0.0.1:9999',
    });
    expect(summary).toEqual({
      id: 'google',
      type: 'google',
      name: 'Support Google',
      clientEmail: serviceAccountKey.client_email,
      apiEndpoint: 'http://127.0.0.1:9999',
      createdAt: expect.any(Number),
    });
    expect(await store.get('google')).toEqual(summary);
    expect(await store.list()).toEqual([summary]);
    expect(JSON.stringify(await store.get('google'))).not.toContain('PRIVATE KEY');

    const raw = await redis.hget(`${prefix}connections`, 'google');
    expect(raw).toContain(serviceAccountKey.client_email);
    expect(raw).not.toContain('PRIVATE KEY');
    expect(raw).not.toContain(privateKey.split('\n')[1]);
    expect(raw).not.toContain(serviceAccountKey.client_secret);
    expect(raw).not.toContain(serviceAccountKey.private_key_id);
  });

  it('resolves the decrypted connection for steps', async () => {
    const connection = await store.resolve('google');
    expect(connection).toEqual({
      id: 'google',
      type: 'google',
      name: 'Support Google',
      serviceAccountKey,
      apiEndpoint: 'http://127.0.0.1:9999',
    });
    expect(await store.resolver().get('google')).toEqual(connection);
  });

  it('refuses a second connection with the same id', async () => {
    await expect(
      store.create({ id: 'google', type: 'google', name: 'Other', serviceAccountKey }),
    ).rejects.toMatchObject({ code: 'CONNECTION_ID_TAKEN', status: 409 });
  });

  it('rejects invalid input with a BAD_REQUEST naming the field', async () => {
    const error = await store
      .create({ id: 'bad', type: 'google', name: 'Bad', serviceAccountKey: { ...serviceAccountKey, private_key: 'x' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('private_key') });
  });

  it('refuses a key that looks like PEM but cannot be read, naming the field, storing nothing', async () => {
    const broken = `-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n`;
    const error = await store
      .create({
        id: 'broken',
        type: 'google',
        name: 'Broken',
        serviceAccountKey: { ...serviceAccountKey, private_key: broken },
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(
        /^Invalid connection \(serviceAccountKey\.private_key\): the private key cannot be read/,
      ),
    });
    await expect(store.get('broken')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('by default refuses an apiEndpoint on an internal host, storing nothing; a public one is kept', async () => {
    const guarded = new ConnectionStore(redis, prefix, key);
    const create = (id: string, apiEndpoint: string) =>
      guarded.create({ id, type: 'google', name: id, serviceAccountKey, apiEndpoint });
    await expect(create('loop', 'http://127.0.0.1:9999')).rejects.toMatchObject({
      code: 'FORBIDDEN_ADDRESS',
      status: 400,
      message: expect.stringMatching(
        /^apiEndpoint http:\/\/127\.0\.0\.1:9999 points at 127\.0\.0\.1, which is loopback/,
      ),
    });
    expect(await redis.hexists(`${prefix}connections`, 'loop')).toBe(0);
    expect(await create('proxy', 'https://sheets-proxy.example.com')).toMatchObject({ id: 'proxy' });
    await guarded.delete('proxy');
  });

  it('cannot decrypt with another key', async () => {
    const other = new ConnectionStore(redis, prefix, randomBytes(32));
    await expect(other.resolve('google')).rejects.toThrow(/ENCRYPTION_KEY/);
  });

  it('does not hand out a secret moved to another connection id', async () => {
    const raw = await redis.hget(`${prefix}connections`, 'google');
    await redis.hset(`${prefix}connections`, 'copy', (raw ?? '').replace('"id":"google"', '"id":"copy"'));
    await expect(store.resolve('copy')).rejects.toThrow(/altered/);
    await store.delete('copy');
  });

  it('stores a secret encrypted, shows nothing of its value, and resolves it for steps', async () => {
    const value = 'crm_live_7f3a9c2e5b1d';
    const summary = await store.create({ id: 'crm-token', type: 'secret', name: 'CRM token', value: ` ${value}\n` });
    expect(summary).toEqual({ id: 'crm-token', type: 'secret', name: 'CRM token', createdAt: expect.any(Number) });
    expect(await store.get('crm-token')).toEqual(summary);
    expect(await store.list()).toContainEqual(summary);

    const raw = await redis.hget(`${prefix}connections`, 'crm-token');
    expect(raw).toContain('"secret":"v1:');
    expect(raw).not.toContain(value);
    expect(raw).not.toContain(value.slice(-4));

    expect(await store.resolve('crm-token')).toEqual({ id: 'crm-token', type: 'secret', name: 'CRM token', value });
    await store.delete('crm-token');
  });

  it.each([
    ['shorter than 8 characters', 'abc123', 'at least 8'],
    ['holding a line break', 'abcdefgh\nX-Evil: 1', 'line break'],
  ])('refuses a secret %s', async (_case, value, message) => {
    await expect(store.create({ id: 'bad-secret', type: 'secret', name: 'Bad', value })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining(message),
    });
  });

  it('deletes, then reports the connection as missing', async () => {
    await store.delete('google');
    await expect(store.get('google')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(store.delete('google')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const error = await store.resolve('google').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionNotFoundError);
    expect(await store.list()).toEqual([]);
  });
});
