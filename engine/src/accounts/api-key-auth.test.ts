import { afterAll, describe, expect, it } from 'vitest';
import { testRedis } from '../stores/test-redis.ts';
import { KeyChecker } from './api-key-auth.ts';
import { ApiKeyStore } from './api-key-store.ts';

describe('checking named keys', () => {
  const store = testRedis();
  const keys = new ApiKeyStore(store.redis, store.prefix);
  let clock = Date.now();
  const now = () => clock;
  afterAll(() => store.cleanup());

  it('sees a revocation made elsewhere once its memory of the key is older than cacheMs', async () => {
    const { id, key } = await keys.create({ name: 'n8n', role: 'editor' }, 'Owner');
    const here = new KeyChecker(keys, { now, cacheMs: 5_000 });
    expect(await here.check(key)).toEqual({
      kind: 'valid',
      actor: { kind: 'key', id, name: 'n8n', role: 'editor' },
    });
    // Another process revokes it.
    const { key: revoked } = await keys.revoke(id, clock);
    clock += 4_999;
    expect((await here.check(key)).kind).toBe('valid');
    clock += 2;
    expect(await here.check(key)).toEqual({
      kind: 'revoked',
      name: 'n8n',
      prefix: revoked.prefix,
      revokedAt: revoked.revokedAt,
    });
  });

  it('sees a revocation made in the same process at once', async () => {
    const { id, key } = await keys.create({ name: 'ci', role: 'viewer' }, 'Owner');
    const here = new KeyChecker(keys, { now });
    expect((await here.check(key)).kind).toBe('valid');
    await keys.revoke(id, clock);
    here.forget(id);
    expect((await here.check(key)).kind).toBe('revoked');
  });

  it('notes a use at most once a minute', async () => {
    const { id, key } = await keys.create({ name: 'busy', role: 'agent' }, 'Owner');
    const here = new KeyChecker(keys, { now, noteUseEveryMs: 60_000 });
    const used = async () => Number(await store.redis.hget(`${store.prefix}apikeys:used`, id));
    const first = clock;
    await here.check(key);
    await expect.poll(used).toBe(first);
    clock += 59_000;
    await here.check(key);
    clock += 500;
    await here.check(key);
    expect(await used()).toBe(first);
    clock += 1_000;
    await here.check(key);
    await expect.poll(used).toBe(clock);
  });

  it('takes a wrong secret, another shape or an unknown id for an unknown key', async () => {
    const { prefix, key } = await keys.create({ name: 'real', role: 'owner' }, 'Owner');
    const here = new KeyChecker(keys, { now });
    const secret = key.slice(prefix.length + 1);
    const wrongSecret = `${prefix}_${secret.startsWith('A') ? 'B' : 'A'}${secret.slice(1)}`;
    for (const token of [wrongSecret, `cfk_0000000000000000_${'A'.repeat(43)}`, 'not-a-named-key', `${key}x`]) {
      expect(await here.check(token), token).toEqual({ kind: 'unknown' });
    }
  });
});
