import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, parseEncryptionKey, parseEnv, redactRedisUrl } from './config.ts';
import { loadConfig } from './load-config.ts';

const hexKey = 'ab'.repeat(32);

function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseEnv', () => {
  it('gives working defaults when nothing is set', () => {
    const config = parseEnv({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      redisUrl: 'redis://127.0.0.1:6379',
      redisPrefix: 'cf:',
      allowPrivateNetwork: false,
      workerConcurrency: 20,
      runRetentionDays: 30,
      auditRetentionDays: 365,
      redisUnavailableTimeoutMs: 1500,
      runRequeueAfterMs: 60_000,
      runMaxSteps: 1000,
      logLevel: 'info',
      dataDir: '.data',
      production: false,
    });
    expect(config.apiKey).toBeUndefined();
    expect(config.channelWebhookUrl).toBeUndefined();
  });

  it('reads every variable, trimming spaces and treating empty values as unset', () => {
    const config = parseEnv({
      PORT: ' 8080 ',
      HOST: '0.0.0.0',
      REDIS_URL: 'redis://redis:6379/2',
      REDIS_PREFIX: 'prod:',
      API_KEY: 'k'.repeat(20),
      WEBHOOK_SECRET: 's'.repeat(20),
      ENCRYPTION_KEY: hexKey,
      CHANNEL_WEBHOOK_URL: 'https://chat.example.com/webhook',
      HTTP_ALLOW_PRIVATE: 'true',
      WORKER_CONCURRENCY: '5',
      RUN_RETENTION_DAYS: '7',
      AUDIT_RETENTION_DAYS: '90',
      REDIS_UNAVAILABLE_TIMEOUT_MS: '800',
      RUN_REQUEUE_AFTER_MS: '30000',
      RUN_MAX_STEPS: '50',
      LOG_LEVEL: 'debug',
      DATA_DIR: '/var/lib/convoflow',
      NODE_ENV: 'production',
      METRICS_TOKEN: 'm'.repeat(20),
      PUBLIC_URL: 'https://flows.example.com',
      WEBHOOK_REQUIRE_TIMESTAMP: 'true',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      redisUrl: 'redis://redis:6379/2',
      redisPrefix: 'prod:',
      apiKey: 'k'.repeat(20),
      webhookSecret: 's'.repeat(20),
      channelWebhookUrl: 'https://chat.example.com/webhook',
      allowPrivateNetwork: true,
      workerConcurrency: 5,
      runRetentionDays: 7,
      auditRetentionDays: 90,
      redisUnavailableTimeoutMs: 800,
      runRequeueAfterMs: 30_000,
      runMaxSteps: 50,
      logLevel: 'debug',
      dataDir: '/var/lib/convoflow',
      production: true,
      metricsToken: 'm'.repeat(20),
      publicUrl: 'https://flows.example.com',
      requireSignatureTimestamp: true,
    });
    expect(config.encryptionKey?.toString('hex')).toBe(hexKey);
    expect(parseEnv({ CHANNEL_WEBHOOK_URL: '', PORT: '  ' })).toMatchObject({
      channelWebhookUrl: undefined,
      port: 3000,
    });
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT must be a whole number from 1 to 65535 (got "abc")'],
    [{ PORT: '70000' }, 'PORT must be from 1 to 65535'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL must be a redis:// or rediss:// URL'],
    [{ REDIS_PREFIX: 'has space' }, 'REDIS_PREFIX must be 1–64 letters'],
    [{ CHANNEL_WEBHOOK_URL: 'ftp://chat.example.com' }, 'CHANNEL_WEBHOOK_URL must be an http:// or https:// URL'],
    [{ HTTP_ALLOW_PRIVATE: 'yes' }, 'HTTP_ALLOW_PRIVATE must be "true" or "false" (got "yes")'],
    [{ WORKER_CONCURRENCY: '0' }, 'WORKER_CONCURRENCY must be from 1 to 1000'],
    [{ RUN_RETENTION_DAYS: '1.5' }, 'RUN_RETENTION_DAYS must be a whole number'],
    [{ AUDIT_RETENTION_DAYS: '0' }, 'AUDIT_RETENTION_DAYS must be from 1 to 3650'],
    [{ RUN_MAX_STEPS: '5' }, 'RUN_MAX_STEPS must be from 10 to 1000000'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent'],
    [{ API_KEY: 'short' }, 'API_KEY must be at least 16 characters'],
    [{ ENCRYPTION_KEY: 'not-a-key' }, 'ENCRYPTION_KEY must be 32 bytes'],
    [{ METRICS_TOKEN: 'short' }, 'METRICS_TOKEN must be at least 16 characters'],
    [{ PUBLIC_URL: 'flows.example.com' }, 'PUBLIC_URL must be an http:// or https:// URL'],
    [{ WEBHOOK_REQUIRE_TIMESTAMP: '1' }, 'WEBHOOK_REQUIRE_TIMESTAMP must be "true" or "false"'],
    [{ TRUST_PROXY: 'true' }, 'TRUST_PROXY must list the reverse proxies'],
    [{ TRUST_PROXY: '10.0.0.0/33' }, 'TRUST_PROXY must list the reverse proxies'],
    [{ TRUST_PROXY: 'proxy.internal' }, 'TRUST_PROXY must list the reverse proxies'],
    [{ SESSION_TTL_HOURS: '0' }, 'SESSION_TTL_HOURS must be from 1 to 168'],
    [{ OWNER_EMAIL: 'ana', OWNER_PASSWORD: 'long enough password' }, 'OWNER_EMAIL must be an e-mail address'],
    [{ OWNER_EMAIL: 'ana@example.com', OWNER_PASSWORD: 'short' }, 'OWNER_PASSWORD must be at least 12 characters'],
    [{ OWNER_EMAIL: 'ana@example.com' }, 'set OWNER_EMAIL and OWNER_PASSWORD together'],
  ])('rejects %o with one line naming the variable', (env, expected) => {
    const error = configErrorOf(() => parseEnv(env));
    expect(error.message).toContain(expected);
    expect(error.message).not.toContain('\n');
  });

  it('names every bad variable in the same single line', () => {
    const error = configErrorOf(() => parseEnv({ PORT: 'x', LOG_LEVEL: 'loud' }));
    expect(error.message).toMatch(/^Invalid configuration: PORT .+; LOG_LEVEL .+\.$/);
  });

  it('reads the owner of a scripted install and the session lifetime', () => {
    const config = parseEnv({
      OWNER_EMAIL: 'Ana@Example.com',
      OWNER_PASSWORD: 'long enough password',
      SESSION_TTL_HOURS: '8',
    });
    expect(config.owner).toEqual({ email: 'ana@example.com', password: 'long enough password' });
    expect(config.sessionTtlHours).toBe(8);
    expect(parseEnv({}).owner).toBeUndefined();
    expect(configErrorOf(() => parseEnv({ OWNER_EMAIL: 'a@b.co', OWNER_PASSWORD: 'hunter2' })).message).not.toContain(
      'hunter2',
    );
  });

  it('reads the reverse proxies to believe, addresses and ranges of both families', () => {
    expect(parseEnv({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,fd00::/8' }).trustProxy).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      'fd00::/8',
    ]);
    expect(parseEnv({}).trustProxy).toBeUndefined();
  });

  it('never echoes a secret or a Redis password it rejects', () => {
    const error = configErrorOf(() => parseEnv({ API_KEY: 'hunter2', REDIS_URL: 'http://user:pw@host' }));
    expect(error.message).not.toContain('hunter2');
    expect(error.message).not.toContain('pw@');
  });
});

describe('parseEncryptionKey', () => {
  it('takes 32 bytes as hex or base64', () => {
    expect(parseEncryptionKey(hexKey)).toEqual(Buffer.from(hexKey, 'hex'));
    const base64 = Buffer.alloc(32, 7).toString('base64');
    expect(parseEncryptionKey(base64)).toEqual(Buffer.alloc(32, 7));
  });

  it('refuses keys of another length', () => {
    expect(() => parseEncryptionKey('ab'.repeat(16))).toThrow(ConfigError);
    expect(() => parseEncryptionKey(Buffer.alloc(16).toString('base64'))).toThrow(ConfigError);
  });
});

describe('redactRedisUrl', () => {
  it('hides the password but keeps the host', () => {
    expect(redactRedisUrl('redis://default:secret@redis:6379')).toBe('redis://default:***@redis:6379');
    expect(redactRedisUrl('rediss://secret@redis:6380')).toBe('rediss://***@redis:6380');
    expect(redactRedisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});

describe('loadConfig secrets', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'convoflow-config-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('generates the secrets on first start, keeps them in DATA_DIR/secrets.json (0600), reuses them after', async () => {
    const first = await loadConfig({ DATA_DIR: dataDir });
    const file = path.join(dataDir, 'secrets.json');
    expect(first.secretsOrigin).toEqual({ file, generated: true, apiKeyFromFile: true });
    expect(first.apiKey.length).toBeGreaterThanOrEqual(16);
    expect(first.webhookSecret.length).toBeGreaterThanOrEqual(16);
    expect(first.encryptionKey).toHaveLength(32);
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    const second = await loadConfig({ DATA_DIR: dataDir });
    expect(second.secretsOrigin.generated).toBe(false);
    expect(second.apiKey).toBe(first.apiKey);
    expect(second.webhookSecret).toBe(first.webhookSecret);
    expect(second.encryptionKey).toEqual(first.encryptionKey);
  });

  it('lets processes starting together agree on one set of secrets', async () => {
    const configs = await Promise.all(Array.from({ length: 5 }, () => loadConfig({ DATA_DIR: dataDir })));
    expect(new Set(configs.map((config) => config.apiKey)).size).toBe(1);
    expect(configs.filter((config) => config.secretsOrigin.generated).length).toBeLessThanOrEqual(1);
  });

  it('prefers the environment over the file, per secret', async () => {
    const generated = await loadConfig({ DATA_DIR: dataDir });
    const config = await loadConfig({ DATA_DIR: dataDir, API_KEY: 'operator-chosen-key-1234' });
    expect(config.apiKey).toBe('operator-chosen-key-1234');
    expect(config.secretsOrigin.apiKeyFromFile).toBe(false);
    expect(config.webhookSecret).toBe(generated.webhookSecret);
  });

  it('does not touch the disk when the environment has every secret', async () => {
    const config = await loadConfig({
      DATA_DIR: path.join(dataDir, 'never-created'),
      API_KEY: 'k'.repeat(20),
      WEBHOOK_SECRET: 's'.repeat(20),
      ENCRYPTION_KEY: hexKey,
    });
    expect(config.secretsOrigin.file).toBeNull();
    await expect(stat(path.join(dataDir, 'never-created'))).rejects.toThrow(/ENOENT/);
  });

  it('requires the secrets from the environment in production', async () => {
    await expect(loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'production', API_KEY: 'k'.repeat(20) })).rejects.toThrow(
      'Invalid configuration: WEBHOOK_SECRET, ENCRYPTION_KEY must be set when NODE_ENV=production',
    );
    await expect(readFile(path.join(dataDir, 'secrets.json'))).rejects.toThrow(/ENOENT/);
  });

  it('stops with an actionable line when the secrets file is damaged', async () => {
    await writeFile(path.join(dataDir, 'secrets.json'), '{"apiKey": 1');
    await expect(loadConfig({ DATA_DIR: dataDir })).rejects.toThrow(
      /secrets\.json is damaged: restore it, or delete it/,
    );
  });
});
