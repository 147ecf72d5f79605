import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRedis } from '../../workers/src/redis-check.ts';
import { spawnEntry } from '../support/processes.ts';
import { randomSecret } from '../support/product.ts';
import { randomPrefix } from '../support/redis-keys.ts';
import { type RedisServer, startRedisServer } from './support/redis-server.ts';

/**
 * A start against a Redis that would lose runs, or that refuses the credentials, through the
 * real entry points: one line saying what is wrong and how to fix it, never a password. The
 * Redis evicts keys (allkeys-lru), has AOF off, needs a password, and has two ACL users the way
 * managed Redis has them: one may not run CONFIG, the other neither CONFIG nor INFO.
 */

const PASSWORD = 'admin-pass-6f1c2e';
const NO_CONFIG_PASSWORD = 'noconfig-pass-91ab';
const BLIND_PASSWORD = 'blind-pass-4d7e';

let redis: RedisServer;
let admin: Redis;

beforeAll(async () => {
  redis = await startRedisServer({
    password: PASSWORD,
    args: [
      '--maxmemory-policy',
      'allkeys-lru',
      '--appendonly',
      'no',
      '--user',
      'noconfig',
      'on',
      `>${NO_CONFIG_PASSWORD}`,
      '~*',
      '&*',
      '+@all',
      '-config',
      '--user',
      'blind',
      'on',
      `>${BLIND_PASSWORD}`,
      '~*',
      '&*',
      '+@all',
      '-config',
      '-info',
    ],
  });
  admin = new Redis(redis.url);
});

afterAll(async () => {
  admin?.disconnect();
  await redis?.close();
});

const urlAs = (user: string, password: string) =>
  `redis://${user}:${encodeURIComponent(password)}@127.0.0.1:${redis.port}`;

/** Secrets from the environment (nothing is written to disk), as production requires. */
const secrets = () => ({ API_KEY: randomSecret(), WEBHOOK_SECRET: randomSecret(), ENCRYPTION_KEY: randomSecret() });
const production = () => ({ NODE_ENV: 'production', ...secrets() });

/** Starts a worker process that is expected to refuse; its one stderr line. */
async function refusal(env: Record<string, string>): Promise<string> {
  const worker = spawnEntry('worker', { REDIS_PREFIX: randomPrefix(), LOG_LEVEL: 'warn', ...env });
  try {
    expect((await worker.exited).code).toBe(1);
    const lines = worker.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    return lines[0] ?? '';
  } finally {
    await worker.stop();
  }
}

/** Starts a worker process that is expected to run; the messages it logged as warnings. */
async function warningsOfAStart(env: Record<string, string>): Promise<string[]> {
  const worker = spawnEntry('worker', { REDIS_PREFIX: randomPrefix(), LOG_LEVEL: 'warn', ...env });
  try {
    await worker.waitForOutput(/Convoflow worker is running/);
    return worker.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; msg: string })
      .filter((entry) => entry.level === 40)
      .map((entry) => entry.msg);
  } finally {
    expect(await worker.stop()).toEqual({ code: 0, signal: null });
  }
}

describe('the start checks the Redis it is given', { timeout: 60_000 }, () => {
  it('in production, refuses a Redis that evicts keys with one line naming the policy and the fix', async () => {
    const line = await refusal({ ...production(), REDIS_URL: redis.url });
    expect(line).toBe(
      `Redis at redis://:***@127.0.0.1:${redis.port} has maxmemory-policy allkeys-lru: when its memory is full it deletes keys, losing runs and queued jobs. Set "maxmemory-policy noeviction" (redis.conf, or CONFIG SET maxmemory-policy noeviction) and start again.`,
    );
  });

  it('reads the policy from INFO when CONFIG is not allowed, and still refuses it in production', async () => {
    const line = await refusal({ ...production(), REDIS_URL: urlAs('noconfig', NO_CONFIG_PASSWORD) });
    expect(line).toContain('has maxmemory-policy allkeys-lru');
    expect(line).toContain('Set "maxmemory-policy noeviction"');
    expect(line).not.toContain(NO_CONFIG_PASSWORD);
  });

  it('outside production, starts and warns once about the eviction policy (and not about AOF)', async () => {
    const warnings = await warningsOfAStart({ ...secrets(), REDIS_URL: redis.url });
    expect(warnings.filter((warning) => warning.includes('maxmemory-policy'))).toEqual([
      `Redis at redis://:***@127.0.0.1:${redis.port} has maxmemory-policy allkeys-lru: when its memory is full it deletes keys, losing runs and queued jobs. Set "maxmemory-policy noeviction" (redis.conf, or CONFIG SET maxmemory-policy noeviction); a start with NODE_ENV=production refuses this Redis.`,
    ]);
    expect(warnings.some((warning) => warning.includes('appendonly'))).toBe(false);
  });

  it('in production, starts on a noeviction Redis without AOF and warns once that a restart loses runs', async () => {
    await admin.config('SET', 'maxmemory-policy', 'noeviction');
    try {
      const warnings = await warningsOfAStart({ ...production(), REDIS_URL: urlAs('noconfig', NO_CONFIG_PASSWORD) });
      expect(warnings.filter((warning) => warning.includes('Redis at'))).toEqual([
        `Redis at redis://noconfig:***@127.0.0.1:${redis.port} has appendonly no: a Redis restart loses the runs and jobs written since its last snapshot. Set "appendonly yes" (redis.conf, or CONFIG SET appendonly yes).`,
      ]);
    } finally {
      await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    }
  });

  it('says so in a warning, and does not fail, when neither CONFIG GET nor INFO may be read', async () => {
    const warnings = await checkRedis(urlAs('blind', BLIND_PASSWORD), { production: true });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      new RegExp(
        `^Could not read maxmemory-policy and appendonly of Redis at redis://blind:\\*\\*\\*@127\\.0\\.0\\.1:${redis.port} \\(CONFIG GET: NOPERM .*INFO: NOPERM .*\\): make sure it runs with "maxmemory-policy noeviction" and "appendonly yes", or runs and jobs can be lost\\.$`,
      ),
    );
  });

  it.each([
    ['a wrong password', () => `redis://:wrong-secret-0a9f@127.0.0.1:${redis.port}`, 'WRONGPASS'],
    ['a wrong user', () => urlAs('nobody', 'wrong-secret-0a9f'), 'WRONGPASS'],
    ['no password', () => `redis://127.0.0.1:${redis.port}`, 'NOAUTH'],
  ])('with %s, says Redis refused the credentials and what to check, never the password', async (_, url, answer) => {
    const line = await refusal({ ...production(), REDIS_URL: url() });
    expect(line).toMatch(
      new RegExp(
        `^Redis at redis://\\S*127\\.0\\.0\\.1:${redis.port} refused the credentials \\(${answer}\\b.*\\): check the user and password in REDIS_URL \\(redis://user:password@host:port\\)\\.$`,
      ),
    );
    expect(line).not.toContain('wrong-secret-0a9f');
    expect(line).not.toContain('Cannot reach');
  });
});
