import type { Redis } from 'ioredis';

/**
 * Bounds how long a request waits for an unreachable Redis, so the API answers 503 in time
 * instead of holding the caller: while the connection is down, commands wait in ioredis's
 * offline queue for a reconnection, longer at each failed attempt (seconds, a few into an
 * outage). From the moment it drops until it is ready again, each new command gets a timeout of
 * half `waitMs`: an auto-pipelined command also waits for the batch before it to end. A Redis
 * that is up but slow never times a command out.
 */
export function timeOutWhileOffline(redis: Redis, waitMs: number): void {
  const commandTimeout = Math.max(1, Math.ceil(waitMs / 2));
  // ioredis reads `options.commandTimeout` as each command is sent.
  redis.on('close', () => {
    redis.options.commandTimeout = commandTimeout;
  });
  redis.on('ready', () => {
    redis.options.commandTimeout = undefined;
  });
}

/**
 * QUIT when connected; a connection that is down has nothing to flush, and its QUIT would wait
 * in the offline queue behind the commands that timed out there (ioredis keeps them queued).
 */
export async function closeConnection(redis: Redis): Promise<void> {
  if (redis.status === 'ready') await redis.quit();
  else redis.disconnect();
}
