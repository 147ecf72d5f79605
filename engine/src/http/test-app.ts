import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { createMetrics } from '../metrics.ts';
import { createRuntime } from '../runtime/create-runtime.ts';
import type { Runtime, RuntimeOptions } from '../runtime/options.ts';
import { signatureHeaders } from '../signing/webhook-signature.ts';
import { testRedis } from '../stores/test-redis.ts';
import { Probe, testDefinitions, testRunners } from '../testing/test-nodes.ts';
import { buildApp } from './app.ts';
import type { AppOptions } from './app-options.ts';

/**
 * For the API's tests: the real app over the real runtime on the shared test Redis, under a
 * key prefix of its own, with the test node types (engine code never imports `nodes/`).
 */

/** A workflow of test nodes: the trigger, then a note using `$contact.name`. */
export function noteWorkflow(id: string, trigger: 'test.closed' | 'test.shortcut' = 'test.closed') {
  return {
    id,
    name: `Note ${id}`,
    nodes: [
      { id: 'start', type: trigger, position: { x: 0, y: 0 }, data: {} },
      { id: 'note', type: 'test.note', position: { x: 0, y: 100 }, data: { text: 'Closed for $contact.name' } },
    ],
    edges: [{ id: 'e1', source: 'start', target: 'note' }],
  };
}

export interface TestApp {
  app: FastifyInstance;
  runtime: Runtime;
  /** `Authorization` header with the right key. */
  auth: { authorization: string };
  /** An API-key call; an object payload is sent as JSON. */
  api(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
  ): Promise<LightMyRequestResponse>;
  /** Headers and payload of a correctly signed platform webhook. */
  signed(body: unknown): { headers: Record<string, string>; payload: string };
  /** Headers that sign exactly these bytes. */
  signRaw(payload: string): Record<string, string>;
  /** Every log line the app and runtime wrote. */
  logs: string[];
  /** The test's Redis connection and the key prefix its app writes under. */
  redis: Redis;
  prefix: string;
  webhookSecret: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Another way to the test Redis, e.g. through a proxy the test can cut. */
  redisUrl?: string;
  bodyLimit?: number;
  editorDir?: string;
  /** Hardening settings and templates of the app under test. */
  app?: Pick<
    AppOptions,
    'allowedHosts' | 'metricsToken' | 'requireSignatureTimestamp' | 'templates' | 'publicUrl' | 'trustProxy'
  >;
  /** Session lifetimes and sign-in limits of the runtime under test. */
  runtime?: Pick<RuntimeOptions, 'sessions' | 'signInLimits' | 'publicUrl'>;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const store = testRedis();
  const apiKey = randomBytes(16).toString('hex');
  const webhookSecret = randomBytes(16).toString('hex');
  const logs: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => logs.push(line) });
  const metrics = createMetrics();
  const runtime = await createRuntime({
    redisUrl: options.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    prefix: store.prefix,
    definitions: testDefinitions,
    runners: testRunners(new Probe()),
    encryptionKey: randomBytes(32),
    webhookSecret,
    allowPrivateNetwork: false,
    runRetentionDays: 1,
    logger,
    metrics,
    ...options.runtime,
  });
  const app = await buildApp({
    engine: runtime.api,
    definitions: testDefinitions,
    apiKey,
    webhookSecret,
    editorDir: options.editorDir,
    metrics,
    logger,
    bodyLimit: options.bodyLimit,
    refreshMetrics: runtime.refreshGauges,
    ...options.app,
  });
  const signRaw = (payload: string) => ({
    'content-type': 'application/json',
    ...signatureHeaders(payload, webhookSecret),
  });
  return {
    app,
    runtime,
    auth: { authorization: `Bearer ${apiKey}` },
    api(method, url, payload) {
      return app.inject({ method, url, headers: { authorization: `Bearer ${apiKey}` }, payload });
    },
    signed(body) {
      const payload = JSON.stringify(body);
      return { headers: signRaw(payload), payload };
    },
    signRaw,
    logs,
    redis: store.redis,
    prefix: store.prefix,
    webhookSecret,
    async close() {
      await app.close();
      await runtime.close();
      await store.cleanup();
    },
  };
}
