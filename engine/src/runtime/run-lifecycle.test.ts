import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signBody } from '../../../test/stand-ins/chat-platform.ts';
import type { OutboundChannelMessage } from '../contract/events.ts';
import { createMetrics } from '../metrics.ts';
import { ms } from '../testing/test-nodes.ts';
import { runIdForEvent } from './run-ids.ts';
import { closedEvent, eventually, type Harness, harness, runReaches, workflow } from './test-kit.ts';

/** A stand-in for the chat platform's outbound webhook: records signed deliveries. */
async function channelStandIn(secret: string) {
  const received: Array<{ body: OutboundChannelMessage; signatureOk: boolean; idempotencyKey: string }> = [];
  let failNext = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (failNext > 0) {
        failNext -= 1;
        response.statusCode = 503;
        response.end();
        return;
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      const timestamp = String(request.headers['x-signature-timestamp']);
      received.push({
        body: JSON.parse(raw),
        signatureOk: request.headers['x-signature-256'] === signBody(`${timestamp}.${raw}`, secret),
        idempotencyKey: String(request.headers['idempotency-key']),
      });
      response.statusCode = 204;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/outbound`,
    received,
    failNextRequests: (count: number) => {
      failNext = count;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const csat = (
  id: string,
  { timeoutMs, ...extra }: Partial<{ timeoutMs: number; retries: number; gated: boolean }> = {},
) =>
  workflow(
    id,
    [
      { id: 'start', type: 'test.closed', data: {} },
      {
        id: 'ask',
        type: 'test.ask',
        data: {
          question: 'Hi $contact.name, rate us 1-5',
          saveAs: 'rating',
          ...extra,
          ...(timeoutMs === undefined ? {} : { timeout: ms(timeoutMs) }),
        },
      },
      { id: 'thanks', type: 'test.action', data: { text: 'You gave $rating', saveAs: 'thanked' } },
      { id: 'invalid', type: 'test.action', data: { text: 'No valid answer' } },
      { id: 'silence', type: 'test.action', data: { text: 'No answer' } },
    ],
    ['start>ask', 'ask:answered>thanks', 'ask:invalid>invalid', 'ask:timeout>silence'],
  );

let h: Harness;
let channel: Awaited<ReturnType<typeof channelStandIn>>;
beforeEach(async () => {
  h = await harness();
  channel = await channelStandIn('test-secret');
});
afterEach(async () => {
  await h.cleanup();
  await channel.close();
});

async function publish(runtime: Awaited<ReturnType<Harness['start']>>, input: ReturnType<typeof workflow>) {
  await runtime.api.workflows.create(input);
  await runtime.api.workflows.publish(String(input.id));
}

describe('a run from trigger to end', () => {
  it('begins, pauses for the reply, resumes with it and completes, with its log and transcript', async () => {
    const rt = await h.start({ channelWebhookUrl: channel.url });
    await publish(rt, csat('wf'));
    const event = closedEvent();
    const [runId] = await rt.api.triggers.conversationClosed(event);
    expect(runId).toBeDefined();
    const waiting = await runReaches(rt, runId!, 'waiting');
    expect(waiting.waitingFor).toBe('reply');
    expect(waiting.currentNodeId).toBe('ask');
    expect(channel.received.map((r) => r.body.text)).toEqual(['Hi Ada, rate us 1-5']);
    expect(channel.received[0]!.signatureOk).toBe(true);
    expect(channel.received[0]!.body).toMatchObject({
      runId,
      conversationId: event.conversation.id,
      contactId: event.contact.id,
      quickReplies: ['1', '5'],
    });
    expect(channel.received[0]!.idempotencyKey).toContain(`${runId}:ask:1`);

    const resumed = await rt.api.inbound({
      conversationId: event.conversation.id,
      contactId: event.contact.id,
      text: ' 4 ',
    });
    expect(resumed).toBe(runId);
    const done = await runReaches(rt, runId!, 'completed');
    expect(done.variables).toMatchObject({
      rating: 4,
      thanked: 'You gave 4',
      contact: { id: event.contact.id, name: 'Ada' },
    });
    expect(done.currentNodeId).toBeNull();
    expect(done.endedAt).not.toBeNull();
    expect(done.steps.map((s) => [s.nodeId, s.outcome, s.exit])).toEqual([
      ['start', 'exited', 'next'],
      ['ask', 'paused', undefined],
      ['ask', 'exited', 'answered'],
      ['thanks', 'exited', 'success'],
    ]);
    expect(done.transcript.map((m) => [m.from, m.text])).toEqual([
      ['bot', 'Hi Ada, rate us 1-5'],
      ['contact', ' 4 '],
      ['bot', 'You gave 4'],
    ]);
    expect(channel.received.map((r) => r.body.text)).toEqual(['Hi Ada, rate us 1-5', 'You gave 4']);

    const report = await rt.api.analytics.csat('wf', {});
    expect(report.asked).toBe(1);
    expect(report.answered).toBe(1);

    // The answer was taken: a second reply reaches no run.
    expect(
      await rt.api.inbound({ conversationId: event.conversation.id, contactId: event.contact.id, text: '5' }),
    ).toBeNull();
    expect(await rt.redis.ttl(`${h.prefix}run:${runId}`)).toBeGreaterThan(0);
  });

  it('asks again on an invalid answer, then takes a valid one; too many invalid answers leave by "invalid"', async () => {
    const rt = await h.start();
    await publish(rt, csat('wf', { retries: 1 }));
    const first = closedEvent();
    const [runA] = await rt.api.triggers.conversationClosed(first);
    await runReaches(rt, runA!, 'waiting');
    const reply = (event: typeof first, text: string) =>
      rt.api.inbound({ conversationId: event.conversation.id, contactId: event.contact.id, text });
    expect(await reply(first, 'great!')).toBe(runA);
    await runReaches(rt, runA!, 'waiting', (run) => run.transcript.some((m) => m.text === 'Please answer 1 to 5.'));
    expect(await reply(first, '5')).toBe(runA);
    const doneA = await runReaches(rt, runA!, 'completed');
    expect(doneA.variables.rating).toBe(5);
    expect(doneA.steps.map((s) => s.outcome)).toEqual(['exited', 'paused', 'paused', 'exited', 'exited']);

    const second = closedEvent();
    const [runB] = await rt.api.triggers.conversationClosed(second);
    await runReaches(rt, runB!, 'waiting');
    await reply(second, '');
    await runReaches(rt, runB!, 'waiting', (run) => run.transcript.some((m) => m.text === 'Please answer 1 to 5.'));
    await reply(second, 'bad');
    const doneB = await runReaches(rt, runB!, 'completed');
    expect(doneB.steps.at(-2)).toMatchObject({ nodeId: 'ask', exit: 'invalid' });
    expect(doneB.steps.at(-1)).toMatchObject({ nodeId: 'invalid', exit: 'success' });
  });

  it('leaves by "timeout" when nobody answers; a late reply then reaches no run', async () => {
    const rt = await h.start();
    await publish(rt, csat('wf', { timeoutMs: 100 }));
    const event = closedEvent();
    const [runId] = await rt.api.triggers.conversationClosed(event);
    const done = await runReaches(rt, runId!, 'completed');
    expect(done.steps.map((s) => [s.nodeId, s.exit])).toContainEqual(['ask', 'timeout']);
    expect(done.steps.at(-1)).toMatchObject({ nodeId: 'silence' });
    expect(
      await rt.api.inbound({ conversationId: event.conversation.id, contactId: event.contact.id, text: '3' }),
    ).toBeNull();
  });

  it('ends after a delay wait', async () => {
    const rt = await h.start();
    await publish(
      rt,
      workflow(
        'wf',
        [
          { id: 'start', type: 'test.closed', data: {} },
          { id: 'pause', type: 'test.wait', data: { ms: 100 } },
          { id: 'after', type: 'test.action', data: {} },
        ],
        ['start>pause', 'pause>after'],
      ),
    );
    const [runId] = await rt.api.triggers.conversationClosed(closedEvent());
    const waiting = await runReaches(rt, runId!, 'waiting');
    expect(waiting.waitingFor).toBe('delay');
    const done = await runReaches(rt, runId!, 'completed');
    expect(done.steps.map((s) => s.nodeId)).toEqual(['start', 'pause', 'pause', 'after']);
  });

  it('retries a step failing with a retryable error without re-running finished steps, then fails for good', async () => {
    const rt = await h.start({ retry: { attempts: 3, backoffMs: 20 } });
    await publish(
      rt,
      workflow(
        'wf',
        [
          { id: 'start', type: 'test.closed', data: {} },
          { id: 'first', type: 'test.action', data: {} },
          { id: 'flaky', type: 'test.action', data: {} },
        ],
        ['start>first', 'first:success>flaky'],
      ),
    );
    h.probe.failuresLeft.set('flaky', 2);
    const [recovered] = await rt.api.triggers.conversationClosed(closedEvent());
    const done = await runReaches(rt, recovered!, 'completed');
    expect(done.steps.map((s) => [s.nodeId, s.outcome])).toEqual([
      ['start', 'exited'],
      ['first', 'exited'],
      ['flaky', 'failed'],
      ['flaky', 'failed'],
      ['flaky', 'exited'],
    ]);
    expect(done.steps[2]!.error).toContain('HTTP 503');
    expect(h.probe.runsOf('first')).toHaveLength(1);
    const flakyRuns = h.probe.runsOf('flaky');
    expect(flakyRuns.map((r) => r.mayHaveRunBefore)).toEqual([false, false, false]);
    expect(new Set(flakyRuns.map((r) => r.idempotencyKey))).toEqual(new Set([`${recovered}:flaky:1`]));

    h.probe.failuresLeft.set('flaky', 10);
    const [exhausted] = await rt.api.triggers.conversationClosed(closedEvent());
    const failed = await runReaches(rt, exhausted!, 'failed');
    expect(failed.error).toContain('HTTP 503');
    expect(failed.steps.filter((s) => s.nodeId === 'flaky').map((s) => s.outcome)).toEqual([
      'failed',
      'failed',
      'failed',
    ]);
  });

  it('fails the run with the error in the log on a non-retryable error, and logs missing variables as warnings', async () => {
    const rt = await h.start();
    await publish(
      rt,
      workflow(
        'wf',
        [
          { id: 'start', type: 'test.closed', data: {} },
          { id: 'greet', type: 'test.action', data: { text: 'Dear $contact.name at $contact.email' } },
          { id: 'broken', type: 'test.action', data: { text: 'fail' } },
        ],
        ['start>greet', 'greet:success>broken'],
      ),
    );
    const [runId] = await rt.api.triggers.conversationClosed(closedEvent());
    const failed = await runReaches(rt, runId!, 'failed');
    expect(failed.error).toBe('The configured endpoint of broken rejected the call.');
    expect(failed.steps[1]).toMatchObject({
      nodeId: 'greet',
      nodeType: 'test.action',
      outcome: 'exited',
      warnings: ['$contact.email is not set in this run; it was rendered empty.'],
    });
    expect(failed.steps[2]).toMatchObject({ nodeId: 'broken', outcome: 'failed', error: failed.error });
    expect(failed.transcript.map((m) => m.text)).toEqual(['Dear Ada at ']);
  });

  it('retries an outbound message the platform refused, with the same idempotency key', async () => {
    const rt = await h.start({ channelWebhookUrl: channel.url, retry: { attempts: 3, backoffMs: 20 } });
    await publish(rt, csat('wf'));
    channel.failNextRequests(1);
    const [runId] = await rt.api.triggers.conversationClosed(closedEvent());
    const waiting = await runReaches(rt, runId!, 'waiting');
    expect(waiting.steps.map((s) => [s.nodeId, s.outcome])).toEqual([
      ['start', 'exited'],
      ['ask', 'failed'],
      ['ask', 'paused'],
    ]);
    expect(waiting.steps[1]!.error).toContain('HTTP 503');
    expect(channel.received).toHaveLength(1);
    expect(channel.received[0]!.idempotencyKey).toBe(`${runId}:ask:1:0:0`);
  });
});

describe('enrolment', () => {
  it('creates one run for the same eventId, sequentially or concurrently, and returns it each time', async () => {
    const rt = await h.start();
    await publish(rt, csat('wf'));
    const event = closedEvent();
    const first = await rt.api.triggers.conversationClosed(event);
    expect(first).toHaveLength(1);
    expect(await rt.api.triggers.conversationClosed(event)).toEqual(first);

    const other = closedEvent();
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => rt.api.triggers.conversationClosed(other)));
    for (const result of concurrent) expect(result).toEqual(concurrent[0]);
    expect(concurrent[0]).toHaveLength(1);
    const runs = await rt.api.runs.list({ workflowId: 'wf', limit: 50 });
    expect(runs).toHaveLength(2);
  });

  it('completes an enrolment that an earlier delivery of the event left half-done', async () => {
    const rt = await h.start();
    const input = csat('wf');
    input.settings = { reenrollment: { mode: 'once' } };
    await publish(rt, input);
    const event = closedEvent({ contactId: 'p1' });
    const runId = runIdForEvent(`closed:${event.eventId}`, 'wf');
    // The earlier delivery took the claims for its run, then failed before creating it.
    await h.redis.set(`${h.prefix}claim:active:wf:${event.conversation.id}`, runId);
    await h.redis.set(`${h.prefix}claim:once:wf:p1`, runId);
    expect(await rt.api.triggers.conversationClosed(event)).toEqual([runId]);
    await runReaches(rt, runId, 'waiting');
    expect(await rt.api.triggers.conversationClosed(closedEvent({ contactId: 'p1' }))).toEqual([]);
  });

  it('enrolls only workflows whose trigger matches the event', async () => {
    const rt = await h.start();
    await publish(rt, csat('any'));
    const onlyWeb = csat('web');
    onlyWeb.nodes[0]!.data = { channel: 'web' };
    await publish(rt, onlyWeb);
    expect(await rt.api.triggers.conversationClosed(closedEvent({ channel: 'whatsapp' }))).toHaveLength(1);
    const both = await rt.api.triggers.conversationClosed(closedEvent({ channel: 'web' }));
    expect(both).toHaveLength(2);
  });

  it('keeps one active run per conversation and workflow', async () => {
    const rt = await h.start();
    await publish(rt, csat('wf'));
    const [runId] = await rt.api.triggers.conversationClosed(closedEvent({ conversationId: 'c1', contactId: 'p1' }));
    await runReaches(rt, runId!, 'waiting');
    expect(await rt.api.triggers.conversationClosed(closedEvent({ conversationId: 'c1', contactId: 'p1' }))).toEqual(
      [],
    );
    await rt.api.inbound({ conversationId: 'c1', contactId: 'p1', text: '5' });
    await runReaches(rt, runId!, 'completed');
    expect(
      await rt.api.triggers.conversationClosed(closedEvent({ conversationId: 'c1', contactId: 'p1' })),
    ).toHaveLength(1);
  });

  it('"after" keeps the same contact out for the window, even across conversations and concurrent events', async () => {
    const rt = await h.start();
    const input = csat('wf');
    input.settings = { reenrollment: { mode: 'after', after: { value: 1, unit: 'hours' } } };
    await publish(rt, input);
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        rt.api.triggers.conversationClosed(closedEvent({ contactId: 'p1', conversationId: `c${i}` })),
      ),
    );
    expect(results.flat()).toHaveLength(1);
    expect(await rt.api.triggers.conversationClosed(closedEvent({ contactId: 'p2' }))).toHaveLength(1);
    const ttl = await rt.redis.pttl(`${h.prefix}claim:after:wf:p1`);
    expect(ttl).toBeGreaterThan(3_500_000);
    expect(ttl).toBeLessThanOrEqual(3_600_000);
  });

  it('"once" never enrolls the same contact again, even after the run ended', async () => {
    const rt = await h.start();
    const input = csat('wf', { timeoutMs: 50 });
    input.settings = { reenrollment: { mode: 'once' } };
    await publish(rt, input);
    const [runId] = await rt.api.triggers.conversationClosed(closedEvent({ contactId: 'p1' }));
    await runReaches(rt, runId!, 'completed');
    expect(await rt.api.triggers.conversationClosed(closedEvent({ contactId: 'p1' }))).toEqual([]);
    expect(await rt.api.triggers.conversationClosed(closedEvent({ contactId: 'p2' }))).toHaveLength(1);
  });

  it('starts a shortcut workflow for a conversation, and refuses workflows not started by a shortcut', async () => {
    const rt = await h.start();
    await publish(
      rt,
      workflow(
        'sc',
        [
          { id: 'start', type: 'test.shortcut', data: {} },
          { id: 'note', type: 'test.action', data: { text: 'Hello from $shortcut.triggeredBy.id', saveAs: 'said' } },
        ],
        ['start>note'],
      ),
    );
    await publish(rt, csat('closed'));
    await rt.api.workflows.create(workflow('draft', [{ id: 'start', type: 'test.shortcut', data: {} }], []));
    const request = { conversationId: 'c9', contact: { id: 'p9' }, triggeredBy: { id: 'agent-7' }, eventId: 'click-1' };
    const runId = await rt.api.triggers.shortcut('sc', request);
    expect(await rt.api.triggers.shortcut('sc', request)).toBe(runId);
    const done = await runReaches(rt, runId, 'completed');
    expect(done.trigger).toBe('shortcut');
    expect(done.variables.said).toBe('Hello from agent-7');
    await expect(rt.api.triggers.shortcut('closed', request)).rejects.toMatchObject({
      status: 409,
      code: 'NOT_A_SHORTCUT_WORKFLOW',
    });
    await expect(rt.api.triggers.shortcut('draft', request)).rejects.toMatchObject({ code: 'WORKFLOW_NOT_PUBLISHED' });
    await expect(rt.api.triggers.shortcut('nope', request)).rejects.toMatchObject({ status: 404 });
  });
});

describe('test runs', () => {
  it('runs the saved draft, sends nothing to the platform, takes simulator replies, counts in no analytics', async () => {
    const rt = await h.start({ channelWebhookUrl: channel.url });
    await rt.api.workflows.create(csat('wf'));
    const runId = await rt.api.triggers.simulate('wf', {});
    const waiting = await runReaches(rt, runId, 'waiting');
    expect(waiting.test).toBe(true);
    expect(waiting.transcript.map((m) => m.text)).toEqual(['Hi Test Contact, rate us 1-5']);
    // Editing the draft does not change the running test.
    const edited = csat('wf');
    edited.nodes[2]!.data = { text: 'edited', saveAs: 'thanked' };
    await rt.api.workflows.update('wf', edited);
    await rt.api.runs.reply(runId, '2');
    const done = await runReaches(rt, runId, 'completed');
    expect(done.variables.thanked).toBe('You gave 2');
    expect(channel.received).toEqual([]);
    expect((await rt.api.analytics.csat('wf', {})).asked).toBe(0);
    await expect(rt.api.runs.reply(runId, '3')).rejects.toMatchObject({ status: 409, code: 'RUN_ENDED' });
  });
});

describe('runs API', () => {
  it('cancels a waiting run: it never resumes, its conversation is free, a completed run cannot be cancelled', async () => {
    const rt = await h.start();
    await publish(rt, csat('wf', { timeoutMs: 60_000 }));
    const event = closedEvent();
    const [runId] = await rt.api.triggers.conversationClosed(event);
    await runReaches(rt, runId!, 'waiting');
    const cancelled = await rt.api.runs.cancel(runId!);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.waitingFor).toBeNull();
    expect(
      await rt.api.inbound({ conversationId: event.conversation.id, contactId: event.contact.id, text: '4' }),
    ).toBeNull();
    const deadlineJobs = await rt.redis.keys(`${h.prefix}bull:runs:deadline-${runId}-*`);
    expect(deadlineJobs).toEqual([]);
    expect((await rt.api.runs.get(runId!)).status).toBe('cancelled');

    const again = await rt.api.triggers.conversationClosed(
      closedEvent({ conversationId: event.conversation.id, contactId: event.contact.id }),
    );
    expect(again).toHaveLength(1);
    await runReaches(rt, again[0]!, 'waiting');
    await rt.api.inbound({ conversationId: event.conversation.id, contactId: event.contact.id, text: '4' });
    await runReaches(rt, again[0]!, 'completed');
    await expect(rt.api.runs.cancel(again[0]!)).rejects.toMatchObject({ status: 409, code: 'RUN_ENDED' });
    await expect(rt.api.runs.cancel('missing')).rejects.toMatchObject({ status: 404 });
  });

  it('lists runs newest first, filtered by workflow, status and conversation', async () => {
    const rt = await h.start();
    await publish(rt, csat('a'));
    await publish(rt, csat('b', { timeoutMs: 30 }));
    const e1 = closedEvent({ conversationId: 'x1' });
    const e2 = closedEvent({ conversationId: 'x2' });
    const ids1 = await rt.api.triggers.conversationClosed(e1);
    const ids2 = await rt.api.triggers.conversationClosed(e2);
    for (const id of [...ids1, ...ids2])
      await eventually(`run ${id} settled`, async () =>
        (await rt.api.runs.get(id)).status === 'waiting' || (await rt.api.runs.get(id)).status === 'completed'
          ? true
          : undefined,
      );
    await eventually('b runs completed', async () =>
      (await rt.api.runs.list({ workflowId: 'b', status: 'completed', limit: 10 })).length === 2 ? true : undefined,
    );
    const all = await rt.api.runs.list({ limit: 50 });
    expect(all).toHaveLength(4);
    expect(all.map((r) => r.createdAt)).toEqual([...all.map((r) => r.createdAt)].sort((x, y) => y - x));
    expect((await rt.api.runs.list({ workflowId: 'a', limit: 50 })).map((r) => r.workflowId)).toEqual(['a', 'a']);
    expect(await rt.api.runs.list({ status: 'waiting', limit: 50 })).toHaveLength(2);
    expect((await rt.api.runs.list({ conversationId: 'x1', limit: 50 })).map((r) => r.conversationId)).toEqual([
      'x1',
      'x1',
    ]);
    expect(await rt.api.runs.list({ limit: 1 })).toHaveLength(1);
    const listed = await rt.api.workflows.list();
    expect(listed.find((w) => w.id === 'a')).toMatchObject({ triggerType: 'test.closed', runsLast24h: 2 });
    await rt.refreshGauges();
  });

  it('counts runs started and ended, waiting runs and scheduled deadlines', async () => {
    const metrics = createMetrics();
    const rt = await h.start({ metrics });
    await publish(rt, csat('wf', { timeoutMs: 600_000 }));
    const event = closedEvent();
    const [runId] = await rt.api.triggers.conversationClosed(event);
    await runReaches(rt, runId!, 'waiting');
    await rt.refreshGauges();
    const value = async (
      metric: { get(): Promise<{ values: Array<{ value: number; labels: object }> }> },
      labels = {},
    ) => (await metric.get()).values.find((v) => JSON.stringify(v.labels) === JSON.stringify(labels))?.value;
    expect(await value(metrics.waitingRuns)).toBe(1);
    expect(await value(metrics.queueDepth, { state: 'scheduled' })).toBe(1);
    expect(await value(metrics.runsStarted, { workflow: 'wf' })).toBe(1);
    await rt.api.inbound({ conversationId: event.conversation.id, contactId: event.contact.id, text: '4' });
    await runReaches(rt, runId!, 'completed');
    await rt.refreshGauges();
    expect(await value(metrics.waitingRuns)).toBe(0);
    expect(await value(metrics.queueDepth, { state: 'scheduled' })).toBe(0);
    expect(await value(metrics.runsEnded, { workflow: 'wf', status: 'completed' })).toBe(1);
    expect((await metrics.stepDuration.get()).values.some((v) => v.labels.node_type === 'test.ask')).toBe(true);
  });

  it('tests one action step outside a run, and refuses pausing nodes', async () => {
    const rt = await h.start({ worker: false });
    const result = await rt.api.testStep('test.action', { text: 'Hi $name', saveAs: 'out' }, { name: 'Bo' });
    expect(result).toMatchObject({ exit: 'success', variables: { out: 'Hi Bo' } });
    const failing = await rt.api.testStep('test.action', { text: 'fail' }, {});
    expect(failing).toMatchObject({ exit: null, error: expect.stringContaining('rejected') });
    await expect(rt.api.testStep('test.ask', { question: 'q', saveAs: 'x' }, {})).rejects.toMatchObject({
      status: 400,
    });
    await expect(rt.api.testStep('test.action', { text: 5 }, {})).rejects.toMatchObject({ status: 400 });
    await expect(rt.api.testStep('nope', {}, {})).rejects.toMatchObject({ status: 404 });
    expect(await rt.api.ready()).toBe(true);
  });
});
