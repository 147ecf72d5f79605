import { Redis } from 'ioredis';
import { redactRedisUrl } from './config.ts';
import { judgeDurability, readDurability } from './redis-durability.ts';
import { StartupError } from './startup-error.ts';

export class RedisUnreachableError extends StartupError {
  override readonly name = 'RedisUnreachableError';
}

export class RedisCredentialsError extends StartupError {
  override readonly name = 'RedisCredentialsError';
}

/** A Redis whose settings lose runs, in production. */
export class RedisSettingsError extends StartupError {
  override readonly name = 'RedisSettingsError';
}

/** Redis's answers to a missing or wrong password (Redis 6+, and older servers). */
const refusedCredentials = /^(NOAUTH|WRONGPASS)\b|invalid password|invalid username-password/i;

/**
 * One connection with a short connect timeout, before anything else is built: without it,
 * ioredis and BullMQ would retry forever and the operator would see a wall of reconnect errors
 * instead of one line saying what to do. It PINGs, then reads the settings durability depends
 * on. Throws a `StartupError` (unreachable, credentials refused, or in production a Redis that
 * evicts keys); returns the warnings to log.
 */
export async function checkRedis(url: string, options: { production: boolean; timeoutMs?: number }): Promise<string[]> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: options.timeoutMs ?? 3000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let lastError: unknown;
  redis.on('error', (error) => {
    lastError = error;
  });
  const where = redactRedisUrl(url);
  try {
    try {
      await redis.connect();
      await redis.ping();
    } catch (error) {
      const cause = withoutPassword(reason(lastError ?? error), url);
      if (refusedCredentials.test(cause)) {
        throw new RedisCredentialsError(
          `Redis at ${where} refused the credentials (${cause}): check the user and password in REDIS_URL (redis://user:password@host:port).`,
        );
      }
      throw new RedisUnreachableError(
        `Cannot reach Redis at ${where}: start one with "redis-server" or "docker compose up -d redis", or set REDIS_URL (${cause})`,
      );
    }
    const { refusal, warnings } = judgeDurability(await readDurability(redis), where, options.production);
    if (refusal) throw new RedisSettingsError(refusal);
    return warnings;
  } finally {
    redis.disconnect();
  }
}

function reason(error: unknown): string {
  if (error instanceof AggregateError && error.errors[0] instanceof Error) return error.errors[0].message;
  return error instanceof Error && error.message ? error.message : String(error);
}

/** Redis does not echo passwords, but a message that reaches a terminal must never hold one. */
function withoutPassword(text: string, url: string): string {
  let password = '';
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    // not a parseable URL: nothing to hide
  }
  return password.length > 0 ? text.replaceAll(password, '***') : text;
}
