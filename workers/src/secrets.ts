import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError, type EnvConfig, parseEncryptionKey } from './config.ts';

/**
 * The three secrets a process needs. Production (`NODE_ENV=production`) takes them from the
 * environment only. Elsewhere a missing one comes from `DATA_DIR/secrets.json`, generated on the
 * first start: kept on disk rather than in Redis so that a copy of the Redis data alone cannot
 * decrypt the connection secrets stored there, and reused so restarts keep the same keys.
 */
export interface Secrets {
  apiKey: string;
  webhookSecret: string;
  encryptionKey: Buffer;
}

export interface SecretsOrigin {
  /** Absolute path of the secrets file in use, or null when every secret came from the environment. */
  file: string | null;
  /** The file was written by this start. */
  generated: boolean;
  /** The API key is the file's (so printing it tells the operator something they cannot look up in their env). */
  apiKeyFromFile: boolean;
}

const SecretsFile = z.object({
  apiKey: z.string().min(16),
  webhookSecret: z.string().min(16),
  encryptionKey: z.string().regex(/^[0-9a-f]{64}$/),
});
type SecretsFile = z.infer<typeof SecretsFile>;

export const secretsFileName = 'secrets.json';

export async function resolveSecrets(config: EnvConfig): Promise<{ secrets: Secrets; origin: SecretsOrigin }> {
  const { apiKey, webhookSecret, encryptionKey } = config;
  if (apiKey !== undefined && webhookSecret !== undefined && encryptionKey !== undefined) {
    return {
      secrets: { apiKey, webhookSecret, encryptionKey },
      origin: { file: null, generated: false, apiKeyFromFile: false },
    };
  }
  if (config.production) {
    const missing = [
      apiKey === undefined && 'API_KEY',
      webhookSecret === undefined && 'WEBHOOK_SECRET',
      encryptionKey === undefined && 'ENCRYPTION_KEY',
    ].filter((name) => name !== false);
    throw new ConfigError(
      `Invalid configuration: ${missing.join(', ')} must be set when NODE_ENV=production (generate each with "openssl rand -hex 32").`,
    );
  }
  const file = path.resolve(config.dataDir, secretsFileName);
  const { stored, generated } = await readOrCreate(file);
  return {
    secrets: {
      apiKey: apiKey ?? stored.apiKey,
      webhookSecret: webhookSecret ?? stored.webhookSecret,
      encryptionKey: encryptionKey ?? parseEncryptionKey(stored.encryptionKey),
    },
    origin: { file, generated, apiKeyFromFile: apiKey === undefined },
  };
}

async function readOrCreate(file: string): Promise<{ stored: SecretsFile; generated: boolean }> {
  const existing = await readSecretsFile(file);
  if (existing) return { stored: existing, generated: false };
  const fresh: SecretsFile = {
    apiKey: randomBytes(24).toString('base64url'),
    webhookSecret: randomBytes(32).toString('hex'),
    encryptionKey: randomBytes(32).toString('hex'),
  };
  try {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    // Written aside then linked into place: link fails if the file appeared meanwhile (a server
    // and a worker starting together), and nobody ever reads a half-written file.
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temporary, `${JSON.stringify(fresh, null, 2)}\n`, { mode: 0o600 });
    try {
      await link(temporary, file);
    } finally {
      await unlink(temporary);
    }
  } catch (error) {
    if (isCode(error, 'EEXIST')) {
      const winner = await readSecretsFile(file);
      if (winner) return { stored: winner, generated: false };
    }
    throw new ConfigError(
      `Cannot write ${file} (${describe(error)}): set DATA_DIR to a writable folder, or set API_KEY, WEBHOOK_SECRET and ENCRYPTION_KEY.`,
    );
  }
  return { stored: fresh, generated: true };
}

async function readSecretsFile(file: string): Promise<SecretsFile | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isCode(error, 'ENOENT')) return null;
    throw new ConfigError(`Cannot read ${file} (${describe(error)}): check its permissions or set DATA_DIR.`);
  }
  const parsed = SecretsFile.safeParse(safeJson(text));
  if (!parsed.success) {
    throw new ConfigError(
      `${file} is damaged: restore it, or delete it to generate new keys (connections saved with the old key must then be added again).`,
    );
  }
  return parsed.data;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function isCode(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
