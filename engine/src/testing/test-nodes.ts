import { z } from 'zod';
import { DEFAULT_EXIT, defineNode, type NodeRegistry, type TriggerEvent } from '../sdk/define-node.ts';
import { StepError } from '../sdk/errors.ts';
import { defineRunner, type RunnerRegistry, type SurveySignal, triggerRunner } from '../sdk/runner.ts';
import { findSecretReferences } from '../sdk/secret-references.ts';
import { Duration, durationToMs } from '../workflow/duration.ts';

/**
 * The node types of the engine's own tests (engine code never imports `nodes/`): validation,
 * the runtime and the API all build their workflows from these. Their runners report to a
 * `Probe`, shared by every runtime of one test (they run in this process).
 */

/** What the test nodes did and saw, and the hooks a test pulls to make them misbehave. */
export class Probe {
  /** Every execution of an Ask or an Action: whether the engine said it may have run before. */
  readonly executions: Array<{ nodeId: string; mayHaveRunBefore: boolean; idempotencyKey: string }> = [];
  /** Node ids whose next executions fail retryably this many times. */
  readonly failuresLeft = new Map<string, number>();
  /** Node ids whose next executions of an Action leave by its `failure` exit this many times (an outage fixed later). */
  readonly failureExitsLeft = new Map<string, number>();
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

/** A timeout or a delay under a second, which `Duration`'s units say as a fraction of a second. */
export const ms = (milliseconds: number): Duration => ({ value: milliseconds / 1000, unit: 'seconds' });

const testTrigger = <const Type extends string>(
  type: Type,
  label: string,
  event: TriggerEvent,
  variables: readonly string[],
) =>
  defineNode({
    type,
    label,
    group: 'Triggers',
    description: `Starts on ${event}`,
    icon: 'T',
    schema: z.object({ channel: z.string().optional() }),
    exits: () => [DEFAULT_EXIT],
    variables: () => variables.map((name) => ({ name, type: 'string' as const })),
    trigger: {
      event,
      matches: (data, payload) => {
        const conversation = payload.conversation;
        const channel =
          typeof conversation === 'object' && conversation && 'channel' in conversation
            ? conversation.channel
            : undefined;
        return data.channel === undefined || data.channel === channel;
      },
    },
  });

/** `$contact.email` is declared but never in a test event: a run renders it empty, with a warning. */
const closed = testTrigger('test.closed', 'Conversation closed', 'conversation.closed', [
  'contact.name',
  'conversation.id',
  'contact.email',
]);
const shortcut = testTrigger('test.shortcut', 'Shortcut', 'shortcut', [
  'contact.id',
  'contact.name',
  'conversation.id',
  'shortcut.triggeredBy.id',
]);

const ask = defineNode({
  type: 'test.ask',
  label: 'Ask',
  group: 'Questions',
  description: 'Asks for a digit 1-5 and waits',
  icon: '?',
  schema: z.object({
    question: z.string().trim().min(1).meta({ title: 'Question' }),
    saveAs: z.string().regex(/^[a-z]+$/, 'use lowercase letters only'),
    retries: z.number().int().min(0).default(1),
    timeout: Duration.optional().meta({ title: 'Give up after' }),
    /** Waits for the test's gate after asking, before pausing. */
    gated: z.boolean().default(false),
  }),
  exits: () => ['answered', 'invalid', 'timeout'],
  variables: (data) => [{ name: data.saveAs, type: 'number', exits: ['answered'] }],
  pauses: true,
  waitBefore: (data, exit) =>
    exit === 'timeout' && data.timeout
      ? { kind: 'timer', field: 'timeout', duration: data.timeout }
      : { kind: 'reply' },
});

/**
 * Pauses for `duration`, which validation checks like any timer, or for `ms`, which it does
 * not see: runtime tests loop through waits of no time at all, which validation would refuse.
 */
const wait = defineNode({
  type: 'test.wait',
  label: 'Wait',
  group: 'Logic',
  description: 'Pauses',
  icon: 'W',
  schema: z.object({ duration: Duration.optional(), ms: z.number().int().min(0).optional() }),
  exits: () => [DEFAULT_EXIT],
  variables: () => [],
  pauses: true,
  waitBefore: (data) =>
    data.duration ? { kind: 'timer', field: 'duration', duration: data.duration } : { kind: 'reply' },
});

/** Records that it ran, sends `text` when given, and saves it as `saveAs`; `text: 'fail'` fails the step. */
const action = defineNode({
  type: 'test.action',
  label: 'Action',
  group: 'Actions',
  description: 'Calls out',
  icon: 'A',
  schema: z.object({
    text: z.string().default(''),
    body: z.string().default(''),
    saveAs: z.string().optional(),
    columns: z
      .array(z.object({ column: z.string().min(1), value: z.string().meta({ title: 'Value' }) }))
      .default([])
      .meta({ title: 'Columns' }),
    gated: z.boolean().default(false),
  }),
  exits: () => ['success', 'failure'],
  // `unknown`, so validation lets a later step read into it (`$crm.body.id`).
  variables: (data) => (data.saveAs ? [{ name: data.saveAs, type: 'unknown' }] : []),
});

const say = defineNode({
  type: 'test.say',
  label: 'Say',
  group: 'Actions',
  description: 'Sends text',
  icon: 'S',
  schema: z.object({ text: z.string() }),
  exits: () => [DEFAULT_EXIT],
  variables: () => [],
});

const end = defineNode({
  type: 'test.end',
  label: 'End',
  group: 'Logic',
  description: 'Stops',
  icon: 'E',
  schema: z.object({}),
  exits: () => [],
  variables: () => [],
});

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

/** Takes `{{secret:…}}` in `token` only, like the HTTP step's header values. */
const call = defineNode({
  type: 'test.call',
  label: 'Call',
  group: 'Actions',
  description: 'Calls with a token',
  icon: 'C',
  schema: z.object({ token: z.string(), note: z.string().default('') }),
  exits: () => [DEFAULT_EXIT],
  variables: () => [],
  secretReferences: (data) =>
    findSecretReferences(data.token).map((connectionId) => ({ connectionId, field: 'token' })),
});

export const testDefinitions: NodeRegistry = {
  [closed.type]: closed,
  [shortcut.type]: shortcut,
  [ask.type]: ask,
  [wait.type]: wait,
  [action.type]: action,
  [say.type]: say,
  [end.type]: end,
  [note.type]: note,
  [call.type]: call,
};

const surveyScale = { min: 1, max: 5 };

export function testRunners(probe: Probe): RunnerRegistry {
  const record = (nodeId: string, ctx: { mayHaveRunBefore: boolean; idempotencyKey: string }) =>
    probe.executions.push({ nodeId, mayHaveRunBefore: ctx.mayHaveRunBefore, idempotencyKey: ctx.idempotencyKey });
  const passGate = async (nodeId: string) => {
    const gate = probe.gate(nodeId);
    gate.reached = true;
    await gate.promise;
  };
  const asked: SurveySignal = { kind: 'asked', metric: 'csat', scale: surveyScale };
  const replyWait = (timeout: Duration | undefined) =>
    ({ kind: 'reply', timeoutMs: timeout ? durationToMs(timeout) : null }) as const;

  return {
    [closed.type]: triggerRunner,
    [shortcut.type]: triggerRunner,
    [ask.type]: defineRunner(ask, {
      state: z.object({ retries: z.number().int() }),
      async run(ctx) {
        record(ctx.nodeId, ctx);
        await ctx.services.channel.send({ text: ctx.render(ctx.data.question), quickReplies: ['1', '5'] });
        if (ctx.data.gated) await passGate(ctx.nodeId);
        return { type: 'pause', wait: replyWait(ctx.data.timeout), state: { retries: 0 }, survey: asked };
      },
      async resume(ctx, event) {
        if (event.kind === 'deadline') return { type: 'exit', exit: 'timeout' };
        const value = Number(event.text.trim());
        if (Number.isInteger(value) && value >= 1 && value <= 5) {
          return {
            type: 'exit',
            exit: 'answered',
            variables: { [ctx.data.saveAs]: value },
            survey: { kind: 'answered', metric: 'csat', scale: surveyScale, value },
          };
        }
        const retries = ctx.state?.retries ?? 0;
        if (retries >= ctx.data.retries) return { type: 'exit', exit: 'invalid' };
        await ctx.services.channel.send({ text: 'Please answer 1 to 5.' });
        return { type: 'pause', wait: replyWait(ctx.data.timeout), state: { retries: retries + 1 } };
      },
    }),
    [wait.type]: defineRunner(wait, {
      run: async (ctx) => ({
        type: 'pause',
        wait: { kind: 'delay', ms: ctx.data.ms ?? (ctx.data.duration ? durationToMs(ctx.data.duration) : 0) },
      }),
      resume: async () => ({ type: 'exit' }),
    }),
    [action.type]: defineRunner(action, {
      async run(ctx) {
        record(ctx.nodeId, ctx);
        if (probe.hangOnce.has(ctx.nodeId)) {
          probe.hangOnce.delete(ctx.nodeId);
          probe.hanging.add(ctx.nodeId);
          await new Promise<never>(() => {});
        }
        if (ctx.data.gated) await passGate(ctx.nodeId);
        const failures = probe.failuresLeft.get(ctx.nodeId) ?? 0;
        if (failures > 0) {
          probe.failuresLeft.set(ctx.nodeId, failures - 1);
          throw new StepError(`Service for ${ctx.nodeId} is unavailable (HTTP 503).`, { retryable: true });
        }
        const failureExits = probe.failureExitsLeft.get(ctx.nodeId) ?? 0;
        if (failureExits > 0) {
          probe.failureExitsLeft.set(ctx.nodeId, failureExits - 1);
          return { type: 'exit', exit: 'failure', note: `${ctx.nodeId} answered 403: the credentials were refused` };
        }
        if (ctx.data.text === 'fail')
          throw new StepError(`The configured endpoint of ${ctx.nodeId} rejected the call.`);
        const rendered = ctx.render(ctx.data.text);
        if (ctx.data.text) await ctx.services.channel.send({ text: rendered });
        return { type: 'exit', exit: 'success', variables: ctx.data.saveAs ? { [ctx.data.saveAs]: rendered } : {} };
      },
    }),
    [say.type]: defineRunner(say, {
      async run(ctx) {
        await ctx.services.channel.send({ text: ctx.render(ctx.data.text) });
        return { type: 'exit' };
      },
    }),
    [end.type]: defineRunner(end, { run: async () => ({ type: 'exit' }) }),
    [note.type]: defineRunner(note, {
      run: async (ctx) => ({ type: 'exit', variables: { note: ctx.render(ctx.data.text) } }),
    }),
    [call.type]: defineRunner(call, { run: async () => ({ type: 'exit' }) }),
  };
}
