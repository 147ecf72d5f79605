import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import type { RunDetail } from '../contract/runs.ts';
import { createMetrics } from '../metrics.ts';
import { Probe, testDefinitions, testRunners } from '../testing/test-nodes.ts';
import type { WorkflowInput } from '../workflow/schema.ts';
import { createRuntime } from './create-runtime.ts';
import type { Runtime, RuntimeOptions } from './options.ts';

/**
 * A harness for runtime tests over the test node types: each test gets its own Redis prefix,
 * runtimes sharing it (several runtimes = several worker processes), and cleanup.
 */

type Node = WorkflowInput['nodes'][number];
type Edge = WorkflowInput['edges'][number];

/** A workflow from a list of nodes (position filled in) and edges written `source[:handle]>target`. */
export function workflow(
  id: string,
  nodes: Array<Omit<Node, 'position'>>,
  edges: string[],
  settings?: WorkflowInput['settings'],
): WorkflowInput {
  return {
    id,
    name: `Test ${id}`,
    nodes: nodes.map((node, index) => ({ ...node, position: { x: 0, y: index * 100 } })),
    edges: edges.map((spec, index): Edge => {
      const [from = '', target = ''] = spec.split('>');
      const [source = '', sourceHandle] = from.split(':');
      return { id: `e${index}`, source, target, ...(sourceHandle ? { sourceHandle } : {}) };
    }),
    ...(settings ? { settings } : {}),
  };
}

export interface Harness {
  prefix: string;
  probe: Probe;
  redis: Redis;
  /** A runtime with a worker (like one worker process); several share the prefix. */
  start(options?: Partial<RuntimeOptions> & { worker?: boolean }): Promise<Runtime>;
  cleanup(): Promise<void>;
}

export async function harness(): Promise<Harness> {
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `test:${randomBytes(6).toString('hex')}:`;
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const probe = new Probe();
  const runtimes: Runtime[] = [];
  return {
    prefix,
    probe,
    redis,
    async start(overrides = {}) {
      const { worker = true, ...options } = overrides;
      const runtime = await createRuntime({
        redisUrl,
        prefix,
        definitions: testDefinitions,
        runners: testRunners(probe),
        encryptionKey: Buffer.alloc(32, 7),
        webhookSecret: 'test-secret',
        allowPrivateNetwork: true,
        runRetentionDays: 1,
        logger: pino({ level: 'silent' }),
        metrics: createMetrics(),
        runLockMs: 2_000,
        retry: { attempts: 3, backoffMs: 50 },
        ...options,
      });
      runtimes.push(runtime);
      if (worker) runtime.startWorker({ concurrency: 8, timerPollMs: 20 });
      return runtime;
    },
    async cleanup() {
      for (const runtime of runtimes) await runtime.close();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      redis.disconnect();
    },
  };
}

/** Polls until `check` returns a value (not undefined), or fails with `what` after the deadline. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

/** Waits until the run reaches `status` (and `predicate`, when given). */
export function runReaches(
  runtime: Runtime,
  runId: string,
  status: RunDetail['status'],
  predicate: (run: RunDetail) => boolean = () => true,
  timeoutMs?: number,
): Promise<RunDetail> {
  return eventually(
    `run ${runId} to be ${status}`,
    async () => {
      const run = await runtime.api.runs.get(runId);
      return run.status === status && predicate(run) ? run : undefined;
    },
    timeoutMs,
  );
}

/** Publishes the workflow as the only one a closed conversation starts (the others unpublished, their runs left to end). */
export async function publishOnly(runtime: Runtime, input: WorkflowInput): Promise<void> {
  for (const item of await runtime.api.workflows.list()) {
    if (item.status === 'published') await runtime.api.workflows.unpublish(item.id, 'finish');
  }
  await runtime.api.workflows.create(input);
  await runtime.api.workflows.publish(String(input.id));
}

let eventCounter = 0;
export function closedEvent(
  overrides: { contactId?: string; conversationId?: string; eventId?: string; channel?: string } = {},
) {
  eventCounter += 1;
  return {
    eventId: overrides.eventId ?? `evt-${eventCounter}-${randomBytes(4).toString('hex')}`,
    conversation: { id: overrides.conversationId ?? `conv-${eventCounter}`, channel: overrides.channel ?? 'whatsapp' },
    contact: { id: overrides.contactId ?? `contact-${eventCounter}`, name: 'Ada' },
    assignee: { id: 'agent-1', name: 'Grace' },
  };
}
