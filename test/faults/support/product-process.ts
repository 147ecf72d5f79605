import { randomBytes } from 'node:crypto';
import { type SpawnedProcess, spawnEntry } from '../../support/processes.ts';
import { callApi, randomSecret } from '../../support/product.ts';
import { deleteKeys, randomPrefix, testRedisUrl } from '../../support/redis-keys.ts';
import { freePort } from './redis-server.ts';

/**
 * `npm start` as a real process (server and worker in one), with exactly the environment given
 * plus what it needs to run beside other tests: a free port, a fresh key prefix, fresh secrets.
 */
export interface ProductProcess {
  url: string;
  apiKey: string;
  process: SpawnedProcess;
  /** An operator call with the API key; `body` is sent as JSON. */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  /** Stops the process and deletes its Redis keys. */
  close(): Promise<void>;
}

export async function startProductProcess(env: Record<string, string> = {}): Promise<ProductProcess> {
  const port = await freePort();
  const prefix = randomPrefix();
  const apiKey = randomBytes(24).toString('base64url');
  const child = spawnEntry('standalone', {
    PORT: String(port),
    REDIS_URL: testRedisUrl,
    REDIS_PREFIX: prefix,
    API_KEY: apiKey,
    WEBHOOK_SECRET: randomSecret(),
    ENCRYPTION_KEY: randomSecret(),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    ...env,
  });
  const close = async () => {
    await child.stop();
    await deleteKeys(prefix);
  };
  try {
    await child.waitForOutput(/Convoflow is running/);
  } catch (error) {
    await close();
    throw error;
  }
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    apiKey,
    process: child,
    api: (method, path, body) => callApi(url, apiKey, method, path, body),
    close,
  };
}
