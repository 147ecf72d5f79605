import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/**
 * For tests: a connection to the shared test Redis and a key prefix of their own, plus a
 * cleanup that deletes every key under that prefix (and nothing else) and disconnects.
 */
export function testRedis(): { redis: Redis; prefix: string; cleanup(): Promise<void> } {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  const prefix = `test:${randomBytes(6).toString('hex')}:`;
  return {
    redis,
    prefix,
    async cleanup() {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      redis.disconnect();
    },
  };
}
