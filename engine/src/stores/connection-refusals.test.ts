import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ConnectionStore } from './connection-store.ts';
import { testRedis } from './test-redis.ts';

const { redis, prefix, cleanup } = testRedis();
const store = new ConnectionStore(redis, prefix, randomBytes(32), { allowPrivateNetwork: true });
afterAll(cleanup);

const serviceAccountKey = {
  client_email: 'sheets@project.iam.gserviceaccount.com',
  private_key: generateKeyPairSync('rsa', { modulusLength: 1024 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString(),
};

describe('refused connections', () => {
  it('shows when the provider began refusing and what it said, until a success clears it', async () => {
    await store.create({ id: 'google', type: 'google', name: 'Google', serviceAccountKey });
    await store.reportRefused('google', 'Google rejected the credentials', 1_000);
    await store.reportRefused('google', 'Google rejected the credentials again', 5_000);
    expect(await store.get('google')).toMatchObject({
      refusedAt: 1_000,
      refusedReason: 'Google rejected the credentials again',
    });
    expect((await store.list()).find((connection) => connection.id === 'google')).toMatchObject({ refusedAt: 1_000 });

    await store.clearRefused('google');
    const cleared = await store.get('google');
    expect(cleared).not.toHaveProperty('refusedAt');
    expect(cleared).not.toHaveProperty('refusedReason');
  });

  it('ignores a refusal of a connection that is gone, forgets one when the connection is deleted, and one added again starts clear', async () => {
    await store.reportRefused('never-existed', 'refused');
    expect(await redis.hexists(`${prefix}connections:refused`, 'never-existed')).toBe(0);

    await store.create({ id: 'doomed', type: 'secret', name: 'Doomed', value: 'a-secret-value' });
    await store.reportRefused('doomed', 'refused');
    await store.delete('doomed');
    expect(await redis.hexists(`${prefix}connections:refused`, 'doomed')).toBe(0);

    // A step's refusal landing just after the delete read the connection as there: a connection
    // added again under the id starts without it.
    await redis.hset(`${prefix}connections:refused`, 'doomed', JSON.stringify({ at: 1, reason: 'refused' }));
    expect(
      await store.create({ id: 'doomed', type: 'secret', name: 'Again', value: 'another-secret' }),
    ).not.toHaveProperty('refusedAt');
    expect(await store.get('doomed')).not.toHaveProperty('refusedAt');
  });

  it('a step reports through the resolver, which never throws', async () => {
    const resolver = store.resolver();
    await store.create({ id: 'google-2', type: 'google', name: 'Google 2', serviceAccountKey });
    await resolver.reportRefused('google-2', 'expired key');
    expect(await store.get('google-2')).toMatchObject({ refusedReason: 'expired key' });
    await resolver.reportAccepted('google-2');
    expect(await store.get('google-2')).not.toHaveProperty('refusedAt');
  });
});

describe('replacing a Google key in place', () => {
  it('takes the new key under the same id, checked as when added, and clears the refusal', async () => {
    await store.create({ id: 'google-3', type: 'google', name: 'Google 3', serviceAccountKey });
    await store.reportRefused('google-3', 'Google rejected the credentials');
    const fresh = {
      client_email: 'fresh@project.iam.gserviceaccount.com',
      private_key: generateKeyPairSync('rsa', { modulusLength: 1024 })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString(),
    };
    const updated = await store.update('google-3', { serviceAccountKey: fresh });
    expect(updated).toMatchObject({ id: 'google-3', name: 'Google 3', clientEmail: fresh.client_email });
    expect(updated).not.toHaveProperty('refusedAt');
    expect(await store.resolve('google-3')).toMatchObject({ serviceAccountKey: fresh });

    await expect(
      store.update('google-3', {
        serviceAccountKey: { ...fresh, private_key: '-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----' },
      }),
    ).rejects.toThrow(/serviceAccountKey\.private_key/);
  });

  it('moves apiEndpoint only with a key sent with it: the stored key does not sign tokens for a new address', async () => {
    await store.create({ id: 'google-4', type: 'google', name: 'Google 4', serviceAccountKey });
    await expect(store.update('google-4', { apiEndpoint: 'https://elsewhere.example' })).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/apiEndpoint changes only with a serviceAccountKey/),
    });
    expect(await store.get('google-4')).not.toHaveProperty('apiEndpoint');
    expect(
      await store.update('google-4', { apiEndpoint: 'https://elsewhere.example', serviceAccountKey }),
    ).toMatchObject({ apiEndpoint: 'https://elsewhere.example' });
    expect(await store.update('google-4', { name: 'Renamed', apiEndpoint: 'https://elsewhere.example' })).toMatchObject(
      {
        name: 'Renamed',
      },
    );
  });

  it('refuses a field of another connection type, naming it', async () => {
    await expect(store.update('google', { settings: { baseUrl: 'x' } })).rejects.toThrow(
      /google connection: settings does not apply to it \(it takes name, serviceAccountKey, apiEndpoint\)/,
    );
  });
});
