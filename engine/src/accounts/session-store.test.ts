import { afterAll, describe, expect, it } from 'vitest';
import { testRedis } from '../stores/test-redis.ts';
import { SessionStore } from './session-store.ts';

const HOUR = 3_600_000;

describe('sessions', () => {
  const store = testRedis();
  const sessions = new SessionStore(store.redis, store.prefix, { idleMs: 12 * HOUR, maxMs: 7 * 24 * HOUR });
  afterAll(() => store.cleanup());

  it('keep only a hash of the id, expiring with the session', async () => {
    const now = Date.now();
    const { id } = await sessions.create('u1', now);
    const keys = await store.redis.keys(`${store.prefix}sessions:*`);
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toContain(id);
    expect(await store.redis.pttl(keys[0] ?? '')).toBeGreaterThan(12 * HOUR - 60_000);
    expect(JSON.stringify(await store.redis.hgetall(keys[0] ?? ''))).not.toContain(id);
  });

  it('slide with use, but never past 7 days from sign-in, and end when idle', async () => {
    const start = Date.now();
    const { id } = await sessions.create('u2', start);
    // Within the step, a call writes nothing.
    expect((await sessions.touch(id, start + 60_000))?.expiresAt).toBe(start + 12 * HOUR);
    expect((await sessions.touch(id, start + 11 * HOUR))?.expiresAt).toBe(start + 23 * HOUR);
    let at = start + 11 * HOUR;
    while (at < start + 7 * 24 * HOUR - 11 * HOUR) {
      at += 11 * HOUR;
      expect(await sessions.touch(id, at)).toBeDefined();
    }
    expect((await sessions.touch(id, at))?.expiresAt).toBe(start + 7 * 24 * HOUR);
    expect(await sessions.touch(id, start + 7 * 24 * HOUR)).toBeUndefined();

    const idle = await sessions.create('u2', start);
    expect(await sessions.touch(idle.id, start + 12 * HOUR + 1)).toBeUndefined();
  });

  it("end one, or all of a person's", async () => {
    const [a, b, c] = [await sessions.create('u3'), await sessions.create('u3'), await sessions.create('u3')];
    const other = await sessions.create('u4');
    await sessions.end(a.id);
    expect(await sessions.touch(a.id)).toBeUndefined();
    expect(await sessions.touch(b.id)).toBeDefined();
    await sessions.endAll('u3');
    expect(await sessions.touch(b.id)).toBeUndefined();
    expect(await sessions.touch(c.id)).toBeUndefined();
    expect(await sessions.touch(other.id)).toBeDefined();
    expect(await store.redis.exists(`${store.prefix}users:u3:sessions`)).toBe(0);
  });
});
