import { Redis } from 'ioredis';
import { redactRedisUrl } from './config.ts';
import { StartupError } from './startup-error.ts';

export class RedisUnreachableError extends StartupError {
  override readonly name = 'RedisUnreachableError';
}

/**
 * One PING with a short connect timeout, before anything else is built: without it, ioredis and
 * BullMQ would retry forever and the operator would see a wall of reconnect errors instead of
 * one line saying what to do.
 */
export async function assertRedisReachable(url: string, timeoutMs = 3000): Promise<void> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let lastError: unknown;
  redis.on('error', (error) => {
    lastError = error;
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new RedisUnreachableError(
      `Cannot reach Redis at ${redactRedisUrl(url)}: start one with "redis-server" or "docker compose up -d redis", or set REDIS_URL (${reason(lastError ?? error)})`,
    );
  } finally {
    redis.disconnect();
  }
}

function reason(error: unknown): string {
  if (error instanceof AggregateError && error.errors[0] instanceof Error) return error.errors[0].message;
  return error instanceof Error && error.message ? error.message : String(error);
}
