import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { spawnChild } from './children.ts';
import { freePort } from './ports.ts';

export interface BenchRedis {
  url: string;
  /** A private redis-server started for this bench (gone after `close`). */
  own: boolean;
  client: Redis;
  close(): Promise<void>;
}

/**
 * `own`: a private redis-server on a free loopback port, without persistence, so the memory
 * figures and command statistics are the bench's alone. Otherwise the given loopback URL, where
 * the bench only ever touches its own key prefixes.
 */
export async function startRedis(choice: string): Promise<BenchRedis> {
  if (choice !== 'own') {
    const client = benchClient(choice);
    await client.ping();
    return { url: choice, own: false, client, close: async () => void client.disconnect() };
  }
  const port = await freePort();
  const dir = await mkdtemp(path.join(tmpdir(), 'convoflow-bench-redis-'));
  const server = spawnChild(
    'redis-server',
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--maxmemory-policy',
      'noeviction',
      '--slowlog-log-slower-than',
      '1000',
      '--slowlog-max-len',
      '256',
    ],
    {},
    true,
  );
  await server.waitForOutput(/Ready to accept connections/, 10_000);
  const url = `redis://127.0.0.1:${port}`;
  const client = benchClient(url);
  await client.ping();
  return {
    url,
    own: true,
    client,
    close: async () => {
      client.disconnect();
      await server.stop(5_000);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The bench's own connection; a failure surfaces as the rejected command, not as an unhandled 'error' event. */
export function benchClient(url: string): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: 3 });
  client.on('error', () => {});
  return client;
}

export async function info(redis: Redis, section: string): Promise<Record<string, string>> {
  const text = await redis.info(section);
  const fields: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const at = line.indexOf(':');
    if (at > 0 && !line.startsWith('#')) fields[line.slice(0, at)] = line.slice(at + 1);
  }
  return fields;
}

export async function usedMemory(redis: Redis): Promise<number> {
  return Number((await info(redis, 'memory')).used_memory);
}

export interface CommandStat {
  command: string;
  calls: number;
  usec: number;
  usecPerCall: number;
}

/** `INFO commandstats`, costliest first. */
export async function commandStats(redis: Redis): Promise<CommandStat[]> {
  const stats: CommandStat[] = [];
  for (const [key, value] of Object.entries(await info(redis, 'commandstats'))) {
    const fields = Object.fromEntries(value.split(',').map((pair) => pair.split('=')));
    stats.push({
      command: key.replace(/^cmdstat_/, ''),
      calls: Number(fields.calls),
      usec: Number(fields.usec),
      usecPerCall: Number(fields.usec_per_call),
    });
  }
  return stats.sort((a, b) => b.usec - a.usec);
}

export interface SlowEntry {
  durationUs: number;
  command: string;
}

export async function slowlog(redis: Redis, count: number): Promise<SlowEntry[]> {
  const entries = await redis.call('SLOWLOG', 'GET', String(count));
  if (!Array.isArray(entries)) return [];
  return entries.flatMap((entry) => {
    if (!Array.isArray(entry)) return [];
    const args = Array.isArray(entry[3]) ? entry[3].map(String) : [];
    // Script bodies and JSON payloads are long: the first words say what it was.
    return [
      {
        durationUs: Number(entry[2]),
        command: args
          .map((arg) => (arg.length > 60 ? `${arg.slice(0, 57)}…` : arg))
          .slice(0, 4)
          .join(' '),
      },
    ];
  });
}

/** Resets `INFO commandstats` and the slow log, so the next read covers one measurement. */
export async function resetStats(redis: Redis): Promise<void> {
  await redis.config('RESETSTAT');
  await redis.call('SLOWLOG', 'RESET');
}

/** Deletes every key under `prefix` (SCAN + UNLINK in batches). */
export async function deleteKeys(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}
