import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { z } from 'zod';
import type { RunDetail } from '../contract/runs.ts';
import { createMetrics } from '../metrics.ts';
import { DEFAULT_EXIT, defineNode, type NodeRegistry } from '../sdk/define-node.ts';
import { StepError } from '../sdk/errors.ts';
import { defineRunner, type RunnerRegistry, type SurveySignal } from '../sdk/runner.ts';
import type { WorkflowInput } from '../workflow/schema.ts';
import { createRuntime } from './create-runtime.ts';
import type { Runtime, RuntimeOptions } from './options.ts';

/**
 * Small node types and a harness for runtime tests: each test gets its own Redis prefix,
 * runtimes sharing it (several runtimes = several worker processes), and cleanup.
 */

/** What the test nodes do and saw, shared by every runtime of one test (they run in this process). */
export class Probe {
  /** Node id → every execution: whether the engine said it may have run before. */
  readonly executions: Array<{ nodeId: string; mayHaveRunBefore: boolean; idempotencyKey: string }> = [];
  /** Node ids whose next executions fail retryably this many times. */
  readonly failuresLeft = new Map<string, number>();
  /** Node ids whose first execution never finishes (its worker "dies" mid-step). */
  readonly hangOnce = new Set<string>();
  readonly hanging = new Set<string>();
  /** Gates a step waits on before pausing, opened by the test. */
  private readonly gates = new Map<string, { promise: Promise<void>; open: () => void; reached: boolean }>();

  gate(nodeId: string) {
    let existing = this.gates.get(nodeId);
    if (!existing) {
      let open = () => {};
      const promise = new Promise<void>((resolve) => {
        open = resolve;
      });
      existing = { promise, open, reached: false };
      this.gates.set(nodeId, existing);
    }
    return existing;
  }

  runsOf(nodeId: string) {
    return this.executions.filter((execution) => execution.nodeId === nodeId);
  }
}

const surveyScale = { min: 1, max: 5 };

export function testNodes(probe: Probe): { definitions: NodeRegistry; runners: RunnerRegistry } {
  const trigger = defineNode({
    type: 't.closed',
    label: 'Closed',
    group: 'Triggers',
    description: 'test trigger',
    icon: 'T',
    schema: z.object({ channel: z.string().optional() }),
    exits: () => [DEFAULT_EXIT],
    variables: () => [
      { name: 'contact.id', type: 'string' },
      { name: 'contact.name', type: 'string' },
      { name: 'contact.email', type: 'string' },
      { name: 'conversation.id', type: 'string' },
      { name: 'conversation.channel', type: 'string' },
      { name: 'assignee.name', type: 'string' },
      { name: 'trigger.eventId', type: 'string' },
    ],
    trigger: {
      event: 'conversation.closed',
      matches: (data, event) => {
        const conversation = event.conversation;
        const channel =
          typeof conversation === 'object' && conversation && 'channel' in conversation
            ? conversation.channel
            : undefined;
        return data.channel === undefined || data.channel === channel;
      },
    },
  });
  const shortcut = defineNode({
    type: 't.shortcut',
    label: 'Shortcut',
    group: 'Triggers',
    description: 'test shortcut trigger',
    icon: 'S',
    schema: z.object({}),
    exits: () => [DEFAULT_EXIT],
    variables: () => [
      { name: 'contact.id', type: 'string' },
      { name: 'conversation.id', type: 'string' },
      { name: 'shortcut.triggeredBy.id', type: 'string' },
    ],
    trigger: { event: 'shortcut' },
  });
  const ask = defineNode({
    type: 't.ask',
    label: 'Ask',
    group: 'Questions',
    description: 'asks for a digit 1-5',
    icon: '?',
    schema: z.object({
      question: z.string(),
      saveAs: z.string(),
      maxRetries: z.number().int().default(1),
      timeoutMs: z.number().int().nullable().default(null),
      /** Waits for the test's gate after asking, before pausing. */
      gated: z.boolean().default(false),
    }),
    exits: () => ['answered', 'invalid', 'timeout'],
    variables: (data) => [{ name: data.saveAs, type: 'number', exits: ['answered'] }],
    pauses: true,
  });
  const action = defineNode({
    type: 't.action',
    label: 'Action',
    group: 'Actions',
    description: 'records that it ran',
    icon: 'A',
    schema: z.object({
      text: z.string().default(''),
      saveAs: z.string().optional(),
      gated: z.boolean().default(false),
    }),
    exits: () => ['success'],
    variables: (data) => (data.saveAs ? [{ name: data.saveAs, type: 'string' }] : []),
  });
  const wait = defineNode({
    type: 't.wait',
    label: 'Wait',
    group: 'Logic',
    description: 'waits',
    icon: 'W',
    schema: z.object({ ms: z.number().int() }),
    exits: () => [DEFAULT_EXIT],
    variables: () => [],
    pauses: true,
  });
  const record = (nodeId: string, ctx: { mayHaveRunBefore: boolean; idempotencyKey: string }) =>
    probe.executions.push({ nodeId, mayHaveRunBefore: ctx.mayHaveRunBefore, idempotencyKey: ctx.idempotencyKey });
  const asked: SurveySignal = { kind: 'asked', metric: 'csat', scale: surveyScale };

  return {
    definitions: {
      [trigger.type]: trigger,
      [shortcut.type]: shortcut,
      [ask.type]: ask,
      [action.type]: action,
      [wait.type]: wait,
    },
    runners: {
      [trigger.type]: defineRunner(trigger, { run: async () => ({ type: 'exit' }) }),
      [shortcut.type]: defineRunner(shortcut, { run: async () => ({ type: 'exit' }) }),
      [ask.type]: defineRunner(ask, {
        async run(ctx) {
          record(ctx.nodeId, ctx);
          await ctx.services.channel.send({ text: ctx.render(ctx.data.question), quickReplies: ['1', '5'] });
          if (ctx.data.gated) {
            const gate = probe.gate(ctx.nodeId);
            gate.reached = true;
            await gate.promise;
          }
          return {
            type: 'pause',
            wait: { kind: 'reply', timeoutMs: ctx.data.timeoutMs },
            state: { retries: 0 },
            survey: asked,
          };
        },
        async resume(ctx, event) {
          if (event.kind === 'timeout') return { type: 'exit', exit: 'timeout' };
          const value = Number(event.text.trim());
          if (Number.isInteger(value) && value >= 1 && value <= 5) {
            return {
              type: 'exit',
              exit: 'answered',
              variables: { [ctx.data.saveAs]: value },
              survey: { kind: 'answered', metric: 'csat', scale: surveyScale, value },
            };
          }
          const state = ctx.state;
          const retries =
            typeof state === 'object' && state && !Array.isArray(state) && typeof state.retries === 'number'
              ? state.retries
              : 0;
          if (retries >= ctx.data.maxRetries) return { type: 'exit', exit: 'invalid' };
          await ctx.services.channel.send({ text: 'Please answer 1 to 5.' });
          return {
            type: 'pause',
            wait: { kind: 'reply', timeoutMs: ctx.data.timeoutMs },
            state: { retries: retries + 1 },
          };
        },
      }),
      [action.type]: defineRunner(action, {
        async run(ctx) {
          record(ctx.nodeId, ctx);
          if (probe.hangOnce.has(ctx.nodeId)) {
            probe.hangOnce.delete(ctx.nodeId);
            probe.hanging.add(ctx.nodeId);
            await new Promise<never>(() => {});
          }
          if (ctx.data.gated) {
            const gate = probe.gate(ctx.nodeId);
            gate.reached = true;
            await gate.promise;
          }
          const failures = probe.failuresLeft.get(ctx.nodeId) ?? 0;
          if (failures > 0) {
            probe.failuresLeft.set(ctx.nodeId, failures - 1);
            throw new StepError(`Service for ${ctx.nodeId} is unavailable (HTTP 503).`, { retryable: true });
          }
          if (ctx.data.text === 'fail')
            throw new StepError(`The configured endpoint of ${ctx.nodeId} rejected the call.`);
          const rendered = ctx.render(ctx.data.text);
          if (ctx.data.text) await ctx.services.channel.send({ text: rendered });
          return { type: 'exit', exit: 'success', variables: ctx.data.saveAs ? { [ctx.data.saveAs]: rendered } : {} };
        },
      }),
      [wait.type]: defineRunner(wait, {
        run: async (ctx) => ({ type: 'pause', wait: { kind: 'delay', ms: ctx.data.ms } }),
        resume: async () => ({ type: 'exit' }),
      }),
    },
  };
}

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
        ...testNodes(probe),
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
