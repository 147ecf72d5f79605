import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApiClient } from './api-client.ts';
import { type Child, spawnTs } from './children.ts';
import { freePort } from './ports.ts';

export interface ProductOptions {
  secrets: Secrets;
  redisUrl: string;
  /** A fresh REDIS_PREFIX: the install's keys, deleted after. */
  prefix: string;
  channelWebhookUrl: string;
  logLevel: string;
  workerConcurrency: number;
  /** When set, each process writes a `--cpu-prof` profile under this folder when it stops. */
  profileDir?: string;
}

export interface Secrets {
  apiKey: string;
  webhookSecret: string;
}

/** Fresh secrets for one bench: the stand-ins verify and sign with the same webhook secret. */
export function generateSecrets(): Secrets {
  return { apiKey: randomBytes(24).toString('base64url'), webhookSecret: randomBytes(32).toString('hex') };
}

/** The real product: one API server process and N worker processes, on one Redis prefix. */
export interface Product {
  baseUrl: string;
  secrets: Secrets;
  /** Operator and platform calls (the load generator's pool). */
  api: ApiClient;
  /** Replaces the worker processes by `count` fresh ones (fresh profiles, same warm-up for each count). */
  setWorkers(count: number): Promise<void>;
  workerPids(): number[];
  serverPid: number;
  stop(): Promise<void>;
}

export async function startProduct(options: ProductOptions): Promise<Product> {
  const { secrets } = options;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'convoflow-bench-data-'));
  const port = await freePort();
  const env = {
    PORT: String(port),
    HOST: '127.0.0.1',
    REDIS_URL: options.redisUrl,
    REDIS_PREFIX: options.prefix,
    API_KEY: secrets.apiKey,
    WEBHOOK_SECRET: secrets.webhookSecret,
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    CHANNEL_WEBHOOK_URL: options.channelWebhookUrl,
    HTTP_ALLOW_PRIVATE: 'true',
    WORKER_CONCURRENCY: String(options.workerConcurrency),
    LOG_LEVEL: options.logLevel,
    DATA_DIR: dataDir,
    NODE_ENV: 'production',
  };
  const profileFlags = (name: string) =>
    options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(options.profileDir, name)}`] : [];

  const server = spawnTs('server', 'workers/src/server.ts', env, profileFlags('server'));
  await server.waitForOutput(/Convoflow API server is running/, 60_000);
  const baseUrl = `http://127.0.0.1:${port}`;
  const api = new ApiClient(baseUrl, secrets);
  const ready = await api.operator('GET', '/ready');
  if (ready.status !== 200) throw new Error(`The server is not ready: /ready answered ${ready.status}`);

  const workers: Child[] = [];
  let started = 0;
  const setWorkers = async (count: number) => {
    await Promise.all(workers.splice(0).map((worker) => worker.stop()));
    for (let i = 0; i < count; i++) {
      started += 1;
      workers.push(spawnTs(`worker-${started}`, 'workers/src/worker.ts', env, profileFlags(`workers-${count}`)));
    }
    await Promise.all(workers.map((worker) => worker.waitForOutput(/Convoflow worker is running/, 60_000)));
  };

  return {
    baseUrl,
    secrets,
    api,
    setWorkers,
    workerPids: () => workers.map((worker) => worker.pid),
    serverPid: server.pid,
    stop: async () => {
      await api.close();
      await Promise.all(workers.map((worker) => worker.stop()));
      workers.length = 0;
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
