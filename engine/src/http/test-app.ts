import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { z } from 'zod';
import { createMetrics } from '../metrics.ts';
import { createRuntime } from '../runtime/create-runtime.ts';
import type { Runtime } from '../runtime/options.ts';
import { DEFAULT_EXIT, defineNode, type TriggerEvent } from '../sdk/define-node.ts';
import { defineRunner } from '../sdk/runner.ts';
import { signatureHeaders } from '../signing/webhook-signature.ts';
import { testRedis } from '../stores/test-redis.ts';
import { buildApp } from './app.ts';
import type { AppOptions } from './app-options.ts';

/**
 * For the API's tests: the real app over the real runtime on the shared test Redis, under a
 * key prefix of its own, with a tiny node registry (engine code never imports `nodes/`).
 */

/** A trigger of the tiny registry, with the variables both triggers give a run. */
const testTrigger = <const Type extends string>(type: Type, label: string, event: TriggerEvent) =>
  defineNode({
    type,
    label,
    group: 'Triggers',
    description: `Starts on ${event}`,
    icon: 'T',
    schema: z.object({}),
    exits: () => [DEFAULT_EXIT],
    variables: () => [
      { name: 'contact.id', type: 'string' },
      { name: 'contact.name', type: 'string' },
      { name: 'conversation.id', type: 'string' },
    ],
    trigger: { event },
  });

const closed = testTrigger('test.closed', 'Conversation closed', 'conversation.closed');
const shortcut = testTrigger('test.shortcut', 'Shortcut', 'shortcut');

const note = defineNode({
  type: 'test.note',
  label: 'Note',
  group: 'Actions',
  description: 'Saves a rendered text as $note',
  icon: 'N',
  schema: z.object({ text: z.string().min(1, 'write the note') }),
  exits: () => [DEFAULT_EXIT],
  variables: () => [{ name: 'note', type: 'string' }],
});

export const testDefinitions = { [closed.type]: closed, [shortcut.type]: shortcut, [note.type]: note };
export const testRunners = {
  [closed.type]: defineRunner(closed, { run: async () => ({ type: 'exit' }) }),
  [shortcut.type]: defineRunner(shortcut, { run: async () => ({ type: 'exit' }) }),
  [note.type]: defineRunner(note, {
    run: async (ctx) => ({ type: 'exit', variables: { note: ctx.render(ctx.data.text) } }),
  }),
};

/** A workflow of the tiny registry: the trigger, then a note using `$contact.name`. */
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
  api(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object): Promise<LightMyRequestResponse>;
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
  /** Hardening settings of the app under test. */
  app?: Pick<AppOptions, 'allowedHosts' | 'metricsToken' | 'requireSignatureTimestamp'>;
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
    runners: testRunners,
    encryptionKey: randomBytes(32),
    webhookSecret,
    allowPrivateNetwork: false,
    runRetentionDays: 1,
    logger,
    metrics,
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
