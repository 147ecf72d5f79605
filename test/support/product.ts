import { randomBytes } from 'node:crypto';
import { createMetrics, type Runtime, type WorkerHandle, type WorkerOptions } from '@convoflow/engine/server-only';
import type { FastifyInstance } from 'fastify';
import { type Logger, pino } from 'pino';
import { composeApp, composeRuntime } from '../../workers/src/compose.ts';
import { type ExampleImport, importExamples } from '../../workers/src/examples.ts';
import { type Config, loadConfig } from '../../workers/src/load-config.ts';
import { type PlatformClient, platformClient } from '../stand-ins/chat-platform.ts';
import { deleteKeys, randomPrefix, testRedisUrl } from './redis-keys.ts';

/**
 * The whole product in this test process, composed exactly as `npm start` composes it (same
 * config parsing, runtime, app), over the real Redis under a fresh key prefix, listening on an
 * ephemeral port of 127.0.0.1, with freshly generated keys. `close()` stops everything and
 * deletes the prefix's keys.
 */

export interface ProductOptions {
  /** The secret shared with a chat-platform stand-in started first; generated when absent. */
  webhookSecret?: string;
  /** Where outbound messages go: a chat-platform stand-in's `webhookUrl`. */
  channelWebhookUrl?: string;
  /** Stand-ins live on loopback, so HTTP steps may reach private addresses unless set false. */
  allowPrivateNetwork?: boolean;
  /** Start an in-process queue worker (default true); `false` for tests that bring worker processes. */
  worker?: boolean;
  workerConcurrency?: number;
  /** Import `examples/*.json` as `npm start` does on first start. */
  examples?: boolean;
  /** Serve this built editor at `/`. */
  editorDir?: string;
  /** More environment, e.g. `RUN_RETENTION_DAYS`. */
  env?: Record<string, string>;
}

export interface ApiResponse {
  status: number;
  /** Parsed JSON, else the text. */
  body: unknown;
  headers: Headers;
}

export interface Product {
  /** `http://127.0.0.1:<port>` */
  url: string;
  config: Config;
  prefix: string;
  apiKey: string;
  webhookSecret: string;
  runtime: Runtime;
  app: FastifyInstance;
  logger: Logger;
  examples: ExampleImport | null;
  /** Signed platform calls to this product (events, replies). */
  platform: PlatformClient;
  /** An operator/agent call with `Authorization: Bearer <apiKey>`; `body` is sent as JSON. */
  api(method: string, path: string, body?: unknown): Promise<ApiResponse>;
  /** Environment for a worker process (`spawnWorkerProcess`) joining this install. */
  processEnv(): Record<string, string>;
  /** Starts (another) in-process worker; closed by `stopWorkers()` and `close()`. */
  startWorker(options?: Partial<WorkerOptions>): WorkerHandle;
  /** Closes the in-process workers, letting their in-flight steps finish. */
  stopWorkers(): Promise<void>;
  close(): Promise<void>;
}

/** A fresh 64-hex-character secret, as `openssl rand -hex 32` makes. */
export function randomSecret(): string {
  return randomBytes(32).toString('hex');
}

export async function startProduct(options: ProductOptions = {}): Promise<Product> {
  const prefix = randomPrefix();
  const env: Record<string, string> = {
    REDIS_URL: testRedisUrl,
    REDIS_PREFIX: prefix,
    API_KEY: randomBytes(24).toString('base64url'),
    WEBHOOK_SECRET: options.webhookSecret ?? randomSecret(),
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    HTTP_ALLOW_PRIVATE: String(options.allowPrivateNetwork ?? true),
    WORKER_CONCURRENCY: String(options.workerConcurrency ?? 20),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...(options.channelWebhookUrl ? { CHANNEL_WEBHOOK_URL: options.channelWebhookUrl } : {}),
    ...options.env,
  };
  const config = await loadConfig(env);
  const logger = pino({ level: config.logLevel });
  const metrics = createMetrics();
  const runtime = await composeRuntime(config, logger, metrics);
  const workers: WorkerHandle[] = [];
  const startWorker = (workerOptions: Partial<WorkerOptions> = {}) => {
    const worker = runtime.startWorker({ concurrency: config.workerConcurrency, ...workerOptions });
    workers.push(worker);
    return worker;
  };
  const stopWorkers = async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.close()));
  };
  let app: FastifyInstance | undefined;
  try {
    const examples = options.examples
      ? await importExamples({ api: runtime.api, redis: runtime.redis, prefix, logger })
      : null;
    app = await composeApp(config, runtime, logger, metrics, options.editorDir);
    await app.listen({ port: 0, host: '127.0.0.1' });
    if (options.worker ?? true) startWorker();
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error('the app listens on no TCP port');
    const url = `http://127.0.0.1:${address.port}`;
    const listening = app;
    return {
      url,
      config,
      prefix,
      apiKey: config.apiKey,
      webhookSecret: config.webhookSecret,
      runtime,
      app: listening,
      logger,
      examples,
      platform: platformClient({ baseUrl: url, webhookSecret: config.webhookSecret }),
      api: (method, path, body) => callApi(url, config.apiKey, method, path, body),
      processEnv: () => ({ ...env, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn' }),
      startWorker,
      stopWorkers,
      close: async () => {
        await listening.close();
        await stopWorkers();
        await runtime.close();
        await deleteKeys(prefix, config.redisUrl);
      },
    };
  } catch (error) {
    await app?.close();
    await stopWorkers();
    await runtime.close();
    await deleteKeys(prefix, config.redisUrl);
    throw error;
  }
}

/** An operator call with the API key; `body` is sent as JSON, the answer parsed as JSON when it is. */
export async function callApi(
  url: string,
  apiKey: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiResponse> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${apiKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: parseJsonOr(text), headers: response.headers };
}

function parseJsonOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
