import { isIP } from 'node:net';
import { z } from 'zod';
import { StartupError } from './startup-error.ts';

/**
 * The process configuration, parsed from the environment. Every variable is checked here, once,
 * so a bad value stops the start with a line that names it instead of failing later, deep in a
 * request. Secrets may be absent at this stage: `secrets.ts` fills them in (or refuses to).
 */

export class ConfigError extends StartupError {
  override readonly name = 'ConfigError';
}

const integer = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `must be from ${min} to ${max}`).max(max, `must be from ${min} to ${max}`))
    .default(fallback);

const secret = z
  .string()
  .min(16, 'must be at least 16 characters (generate one with "openssl rand -hex 32")')
  .optional();

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Values arrive trimmed, with empty ones removed (compose's `VAR=` lines mean unset). */
const EnvSchema = z.object({
  PORT: integer(1, 65_535, 3000),
  HOST: z.string().default('127.0.0.1'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379')
    .default('redis://127.0.0.1:6379'),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'must be 1–64 letters, digits, ":", "_", "." or "-", e.g. cf:')
    .default('cf:'),
  API_KEY: secret,
  WEBHOOK_SECRET: secret,
  ENCRYPTION_KEY: z.string().optional(),
  METRICS_TOKEN: secret,
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL, e.g. https://flows.example.com' })
    .optional(),
  TRUST_PROXY: z
    .string()
    .transform((value) => value.split(',').map((entry) => entry.trim()))
    .refine((entries) => entries.every(isAddressOrRange), {
      error:
        'must list the reverse proxies in front of this server: IP addresses or CIDR ranges separated by commas, e.g. 127.0.0.1,10.0.0.0/8',
    })
    .optional(),
  WEBHOOK_REQUIRE_TIMESTAMP: z
    .enum(['true', 'false'], { error: 'must be "true" or "false"' })
    .default('false')
    .transform((value) => value === 'true'),
  CHANNEL_WEBHOOK_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  HTTP_ALLOW_PRIVATE: z
    .enum(['true', 'false'], { error: 'must be "true" or "false"' })
    .default('false')
    .transform((value) => value === 'true'),
  WORKER_CONCURRENCY: integer(1, 1000, 20),
  RUN_RETENTION_DAYS: integer(1, 3650, 30),
  AUDIT_RETENTION_DAYS: integer(1, 3650, 365),
  RUN_MAX_STEPS: integer(10, 1_000_000, 1000),
  REDIS_UNAVAILABLE_TIMEOUT_MS: integer(100, 60_000, 1500),
  RUN_REQUEUE_AFTER_MS: integer(100, 86_400_000, 60_000),
  SESSION_TTL_HOURS: integer(1, 168, 12),
  OWNER_EMAIL: z.email('must be an e-mail address, e.g. ana@example.com').toLowerCase().optional(),
  OWNER_PASSWORD: z
    .string()
    .min(12, 'must be at least 12 characters')
    .max(200, 'must be at most 200 characters')
    .optional(),
  LOG_LEVEL: z.enum(logLevels, { error: `must be one of ${logLevels.join(', ')}` }).default('info'),
  DATA_DIR: z.string().default('.data'),
  NODE_ENV: z.string().optional(),
});

export interface EnvConfig {
  port: number;
  host: string;
  redisUrl: string;
  redisPrefix: string;
  apiKey: string | undefined;
  webhookSecret: string | undefined;
  /** Decoded 32-byte key. */
  encryptionKey: Buffer | undefined;
  channelWebhookUrl: string | undefined;
  /** Bearer token that reads `/metrics` (the API key does too). */
  metricsToken: string | undefined;
  /** The address people and platforms use to reach this server, when it is not localhost. */
  publicUrl: string | undefined;
  /** The reverse proxies whose X-Forwarded-For / -Proto / -Host are believed; absent: none. */
  trustProxy: string[] | undefined;
  /** Refuse platform calls signed without `X-Signature-Timestamp`. */
  requireSignatureTimestamp: boolean;
  allowPrivateNetwork: boolean;
  workerConcurrency: number;
  runRetentionDays: number;
  /** Audit log entries older than this many days are deleted. */
  auditRetentionDays: number;
  /** Steps one run may take before it fails as a loop. */
  runMaxSteps: number;
  /** How long a request waits at most for an unreachable Redis (then the API answers 503). */
  redisUnavailableTimeoutMs: number;
  /** A run queued or running with no job and no lock for this long is enqueued again. */
  runRequeueAfterMs: number;
  /** How long a signed-in session lasts without use (at most 7 days from sign-in, whatever this says). */
  sessionTtlHours: number;
  /** The owner's account created at start when no user exists (scripted installs): OWNER_EMAIL and OWNER_PASSWORD. */
  owner: { email: string; password: string } | undefined;
  logLevel: (typeof logLevels)[number];
  dataDir: string;
  /** `NODE_ENV=production`: secrets must come from the environment, never generated. */
  production: boolean;
}

/** Parses the environment; throws a `ConfigError` whose one-line message names each bad variable. */
export function parseEnv(env: Record<string, string | undefined>): EnvConfig {
  const blanksRemoved = Object.fromEntries(
    Object.keys(EnvSchema.shape).map((name) => [name, env[name]?.trim() || undefined]),
  );
  const parsed = EnvSchema.safeParse(blanksRemoved);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return `${name} ${issue.message}${describeValue(name, blanksRemoved[name])}`;
    });
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}.`);
  }
  const values = parsed.data;
  if ((values.OWNER_EMAIL === undefined) !== (values.OWNER_PASSWORD === undefined)) {
    throw new ConfigError(
      'Invalid configuration: set OWNER_EMAIL and OWNER_PASSWORD together (the owner account created at the first start), or neither.',
    );
  }
  return {
    port: values.PORT,
    host: values.HOST,
    redisUrl: values.REDIS_URL,
    redisPrefix: values.REDIS_PREFIX,
    apiKey: values.API_KEY,
    webhookSecret: values.WEBHOOK_SECRET,
    encryptionKey: values.ENCRYPTION_KEY === undefined ? undefined : parseEncryptionKey(values.ENCRYPTION_KEY),
    channelWebhookUrl: values.CHANNEL_WEBHOOK_URL,
    metricsToken: values.METRICS_TOKEN,
    publicUrl: values.PUBLIC_URL,
    trustProxy: values.TRUST_PROXY,
    requireSignatureTimestamp: values.WEBHOOK_REQUIRE_TIMESTAMP,
    allowPrivateNetwork: values.HTTP_ALLOW_PRIVATE,
    workerConcurrency: values.WORKER_CONCURRENCY,
    runRetentionDays: values.RUN_RETENTION_DAYS,
    auditRetentionDays: values.AUDIT_RETENTION_DAYS,
    runMaxSteps: values.RUN_MAX_STEPS,
    redisUnavailableTimeoutMs: values.REDIS_UNAVAILABLE_TIMEOUT_MS,
    runRequeueAfterMs: values.RUN_REQUEUE_AFTER_MS,
    sessionTtlHours: values.SESSION_TTL_HOURS,
    owner:
      values.OWNER_EMAIL === undefined || values.OWNER_PASSWORD === undefined
        ? undefined
        : { email: values.OWNER_EMAIL, password: values.OWNER_PASSWORD },
    logLevel: values.LOG_LEVEL,
    dataDir: values.DATA_DIR,
    production: values.NODE_ENV === 'production',
  };
}

const secretVariables = new Set(['API_KEY', 'WEBHOOK_SECRET', 'ENCRYPTION_KEY', 'METRICS_TOKEN', 'OWNER_PASSWORD']);

/** The rejected value, so the operator sees what was read; never for secrets. */
function describeValue(name: string, value: string | undefined): string {
  if (value === undefined || secretVariables.has(name)) return '';
  const shown = name === 'REDIS_URL' ? redactRedisUrl(value) : value;
  return ` (got "${shown.length > 80 ? `${shown.slice(0, 80)}…` : shown}")`;
}

/** 32 bytes, written as 64 hex characters or as base64. */
export function parseEncryptionKey(text: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(text)
    ? Buffer.from(text, 'hex')
    : /^[A-Za-z0-9+/]+={0,2}$/.test(text)
      ? Buffer.from(text, 'base64')
      : undefined;
  if (key?.length !== 32) {
    throw new ConfigError(
      'Invalid configuration: ENCRYPTION_KEY must be 32 bytes written as 64 hex characters or base64 (generate one with "openssl rand -hex 32").',
    );
  }
  return key;
}

/** Redis URL without its password, for messages and logs. */
export function redactRedisUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^@/]*)@/i, (_match, scheme: string, auth: string) =>
    auth.includes(':') ? `${scheme}${auth.split(':')[0]}:***@` : `${scheme}***@`,
  );
}

/** An IP address, or a CIDR range of them (`10.0.0.0/8`, `fd00::/8`). */
function isAddressOrRange(entry: string): boolean {
  const [address = '', bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}
