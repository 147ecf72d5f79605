import { Job, Queue } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunDetail } from '../contract/runs.ts';
import { ms } from '../testing/test-nodes.ts';
import type { Runtime } from './options.ts';
import { closedEvent, eventually, type Harness, harness, runReaches, workflow } from './test-kit.ts';

/** The races of DESIGN.md "A run's life", each forced rather than hoped for. */

const csat = (
  id: string,
  { timeoutMs, ...ask }: { timeoutMs?: number } & Record<string, unknown> = {},
  thanks = 'Thanks for $rating',
) =>
  workflow(
    id,
    [
      { id: 'start', type: 'test.closed', data: {} },
      {
        id: 'ask',
        type: 'test.ask',
        data: {
          question: 'Rate us 1-5',
          saveAs: 'rating',
          ...ask,
          ...(timeoutMs === undefined ? {} : { timeout: ms(timeoutMs) }),
        },
      },
      { id: 'thanks', type: 'test.action', data: { text: thanks } },
      { id: 'invalid', type: 'test.action', data: { text: 'No valid answer' } },
      { id: 'silence', type: 'test.action', data: { text: 'No answer' } },
    ],
    ['start>ask', 'ask:answered>thanks', 'ask:invalid>invalid', 'ask:timeout>silence'],
  );

let h: Harness;
let queue: Queue;
beforeEach(async () => {
  h = await harness();
  queue = new Queue('runs', { connection: h.redis, prefix: `${h.prefix}bull` });
});
afterEach(async () => {
  await queue.close();
  await h.cleanup();
});

async function publish(runtime: Runtime, input: ReturnType<typeof workflow>) {
  await runtime.api.workflows.create(input);
  await runtime.api.workflows.publish(String(input.id));
}

async function jobFinished(jobId: string) {
  return eventually(`job ${jobId} to finish`, async () => {
    const job = await Job.fromId(queue, jobId);
    const state = job ? await job.getState() : 'missing';
    return state === 'completed' || state === 'failed' ? state : undefined;
  });
}

const exitsOf = (run: RunDetail, nodeId: string) =>
  run.steps.filter((step) => step.nodeId === nodeId && step.outcome === 'exited').map((step) => step.exit);

describe('reply and timeout racing', () => {
  it('takes exactly one exit when the reply and the timeout fire at once on two workers', async () => {
    const a = await h.start();
    const b = await h.start();
    await publish(a, csat('wf', { timeoutMs: 600_000 }));
    const iterations = 30;
    const race = async (i: number) => {
      const event = closedEvent();
      const [runId] = await (i % 2 ? a : b).api.triggers.conversationClosed(event);
      await runReaches(a, runId!, 'waiting', undefined, 20_000);
      expect(await h.redis.zscore(`${h.prefix}timers`, `${runId}|1`)).not.toBeNull();
      // Jitter (not a wait for an event) so both orders happen: the reply just before or just after the timeout.
      const reply = async (rt: Runtime, text: string, jitterMs: number) => {
        await new Promise((resolve) => setTimeout(resolve, jitterMs));
        return rt.api.inbound({ conversationId: event.conversation.id, contactId: event.contact.id, text });
      };
      // Both at once: the deadline job fires (as a worker's timer poll would) while replies arrive through both runtimes.
      await Promise.all([
        queue.add('deadline', { kind: 'deadline', runId, waitSeq: 1 }, { jobId: `deadline-${runId}-1` }),
        reply(a, String(1 + (i % 5)), i % 5),
        i % 3 === 0 ? reply(b, '5', (i * 3) % 5) : null,
      ]);
      await runReaches(a, runId!, 'completed', undefined, 20_000);
      // Every racing job has run before the verdict, so a late second exit would be seen.
      await eventually('the queue to drain', async () => {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        return Object.values(counts).every((count) => count === 0) ? true : undefined;
      });
      return a.api.runs.get(runId!);
    };
    const outcomes: RunDetail[] = [];
    // One race at a time, so the two orders both happen (a busy queue would always let the reply in first).
    for (let i = 0; i < iterations; i++) outcomes.push(await race(i));
    const exits: string[] = [];
    for (const done of outcomes) {
      expect(done.status).toBe('completed');
      const askExits = exitsOf(done, 'ask');
      expect(askExits).toHaveLength(1);
      const taken = askExits[0]!;
      exits.push(taken);
      const downstream = done.steps.filter((step) => ['thanks', 'silence', 'invalid'].includes(step.nodeId));
      expect(downstream).toHaveLength(1);
      expect(downstream[0]!.nodeId).toBe(taken === 'answered' ? 'thanks' : 'silence');
      expect(done.variables.rating === undefined).toBe(taken === 'timeout');
      expect(done.transcript.filter((m) => m.from === 'contact').length).toBeLessThanOrEqual(1);
    }
    // The jitter is there to make both orders happen; a race that always went one way proves nothing.
    expect(new Set(exits)).toEqual(new Set(['answered', 'timeout']));
  });

  it('resumes a run whose reply arrived before its wait was recorded', async () => {
    const rt = await h.start();
    await publish(rt, csat('wf', { gated: true, timeoutMs: 600_000 }));
    const event = closedEvent();
    const [runId] = await rt.api.triggers.conversationClosed(event);
    const gate = h.probe.gate('ask');
    await eventually('the question to be asked', async () => (gate.reached ? true : undefined));
    expect((await rt.api.runs.get(runId!)).status).toBe('running');
    const routed = await rt.api.inbound({
      conversationId: event.conversation.id,
      contactId: event.contact.id,
      text: '3',
    });
    expect(routed).toBe(runId);
    gate.open();
    const done = await runReaches(rt, runId!, 'completed');
    expect(done.variables.rating).toBe(3);
    expect(exitsOf(done, 'ask')).toEqual(['answered']);
  });

  it('ignores replies from another contact, and replies sent before the question was asked', async () => {
    const rt = await h.start();
    await publish(rt, csat('wf', { gated: true }));
    const event = closedEvent();
    const [runId] = await rt.api.triggers.conversationClosed(event);
    const gate = h.probe.gate('ask');
    await eventually('the question to be asked', async () => (gate.reached ? true : undefined));
    expect(
      await rt.api.inbound({ conversationId: event.conversation.id, contactId: 'someone-else', text: '1' }),
    ).toBeNull();
    gate.open();
    await runReaches(rt, runId!, 'waiting');
    expect(
      await rt.api.inbound({ conversationId: 'other-conversation', contactId: event.contact.id, text: '1' }),
    ).toBeNull();
    await rt.api.inbound({ conversationId: event.conversation.id, contactId: event.contact.id, text: '2' });
    expect((await runReaches(rt, runId!, 'completed')).variables.rating).toBe(2);
  });

  it('drops a second reply that arrives while the run works on the next step', async () => {
    const rt = await h.start();
    const input = csat('wf');
    input.nodes[2]!.data = { text: 'Thanks for $rating', gated: true };
    await publish(rt, input);
    const event = closedEvent();
    const [runId] = await rt.api.triggers.conversationClosed(event);
    await runReaches(rt, runId!, 'waiting');
    const reply = (text: string) =>
      rt.api.inbound({ conversationId: event.conversation.id, contactId: event.contact.id, text });
    expect(await reply('4')).toBe(runId);
    const gate = h.probe.gate('thanks');
    await eventually('the next step to start', async () => (gate.reached ? true : undefined));
    expect(await reply('5')).toBeNull();
    gate.open();
    const done = await runReaches(rt, runId!, 'completed');
    expect(done.variables.rating).toBe(4);
    expect(done.transcript.filter((m) => m.from === 'contact').map((m) => m.text)).toEqual(['4']);
  });

  it('delivers a reply once per eventId', async () => {
    const rt = await h.start();
    await publish(rt, csat('wf', { retries: 3 }));
    const event = closedEvent();
    const [runId] = await rt.api.triggers.conversationClosed(event);
    await runReaches(rt, runId!, 'waiting');
    const message = {
      eventId: 'msg-1',
      conversationId: event.conversation.id,
      contactId: event.contact.id,
      text: 'nope',
    };
    const routed = await Promise.all([rt.api.inbound(message), rt.api.inbound(message), rt.api.inbound(message)]);
    expect(routed).toEqual([runId, runId, runId]);
    await runReaches(rt, runId!, 'waiting', (run) => run.transcript.some((m) => m.from === 'contact'));
    await rt.api.inbound({ ...message, eventId: 'msg-2', text: '4' });
    const done = await runReaches(rt, runId!, 'completed');
    expect(done.transcript.filter((m) => m.from === 'contact').map((m) => m.text)).toEqual(['nope', '4']);
    expect(await rt.api.inbound(message)).toBe(runId);
  });
});

describe('begin versus resume', () => {
  it('never restarts a run from its trigger: extra start, stale deadline and empty resume jobs do nothing', async () => {
    const rt = await h.start();
    await publish(rt, csat('wf', { timeoutMs: 600_000 }));
    const [runId] = await rt.api.triggers.conversationClosed(closedEvent());
    const waiting = await runReaches(rt, runId!, 'waiting');
    await queue.add('start', { kind: 'start', runId }, { jobId: `start-again-${runId}` });
    await queue.add('deadline', { kind: 'deadline', runId, waitSeq: 7 }, { jobId: `deadline-stale-${runId}` });
    await queue.add('resume', { kind: 'resume', runId }, { jobId: `resume-empty-${runId}` });
    for (const jobId of [`start-again-${runId}`, `deadline-stale-${runId}`, `resume-empty-${runId}`]) {
      expect(await jobFinished(jobId)).toBe('completed');
    }
    const after = await rt.api.runs.get(runId!);
    expect(after.status).toBe('waiting');
    expect(after.steps).toEqual(waiting.steps);
    expect(h.probe.runsOf('ask')).toHaveLength(1);
  });

  it('ends a wait by a deadline job an earlier release queued as "timeout", once', async () => {
    const rt = await h.start();
    await publish(rt, csat('wf', { timeoutMs: 600_000 }));
    const [runId] = await rt.api.triggers.conversationClosed(closedEvent());
    await runReaches(rt, runId!, 'waiting');
    await queue.add('timeout', { kind: 'timeout', runId, waitSeq: 1 }, { jobId: `timeout-${runId}-1` });
    expect(await jobFinished(`timeout-${runId}-1`)).toBe('completed');
    const done = await runReaches(rt, runId!, 'completed');
    expect(exitsOf(done, 'ask')).toEqual(['timeout']);
    expect(done.steps.filter((step) => step.nodeId === 'silence')).toHaveLength(1);
    expect(await h.redis.zscore(`${h.prefix}timers`, `${runId}|1`)).toBeNull();
  });

  it('resumes a run paused on version 1 on version 1 after version 2 is published', async () => {
    const rt = await h.start();
    await publish(rt, csat('wf', {}, 'v1 thanks $rating'));
    const first = closedEvent();
    const [oldRun] = await rt.api.triggers.conversationClosed(first);
    await runReaches(rt, oldRun!, 'waiting');
    await rt.api.workflows.update('wf', csat('wf', {}, 'v2 thanks $rating'));
    expect((await rt.api.workflows.publish('wf')).publishedVersion).toBe(2);
    await rt.api.inbound({ conversationId: first.conversation.id, contactId: first.contact.id, text: '5' });
    const done = await runReaches(rt, oldRun!, 'completed');
    expect(done.workflowVersion).toBe(1);
    expect(done.transcript.at(-1)?.text).toBe('v1 thanks 5');

    const second = closedEvent();
    const [newRun] = await rt.api.triggers.conversationClosed(second);
    await runReaches(rt, newRun!, 'waiting');
    await rt.api.inbound({ conversationId: second.conversation.id, contactId: second.contact.id, text: '4' });
    const newDone = await runReaches(rt, newRun!, 'completed');
    expect(newDone.workflowVersion).toBe(2);
    expect(newDone.transcript.at(-1)?.text).toBe('v2 thanks 4');
  });
});

describe('a worker dying mid-step', () => {
  it('is taken over by another worker that re-executes only the unfinished step, flagged mayHaveRunBefore', async () => {
    const a = await h.start({ worker: false });
    const b = await h.start({ worker: false });
    await publish(
      a,
      workflow(
        'wf',
        [
          { id: 'start', type: 'test.closed', data: {} },
          { id: 'before', type: 'test.action', data: {} },
          { id: 'crashy', type: 'test.action', data: {} },
          { id: 'after', type: 'test.action', data: {} },
        ],
        ['start>before', 'before:success>crashy', 'crashy:success>after'],
      ),
    );
    h.probe.hangOnce.add('crashy');
    const workerA = a.startWorker({ concurrency: 10, lockDurationMs: 1_000, stalledIntervalMs: 300 });
    const [runId] = await a.api.triggers.conversationClosed(closedEvent());
    await eventually('the step to hang', async () => (h.probe.hanging.has('crashy') ? true : undefined));
    await workerA.close({ force: true });
    b.startWorker({ concurrency: 10, lockDurationMs: 1_000, stalledIntervalMs: 300 });
    const done = await runReaches(b, runId!, 'completed', undefined, 20_000);
    expect(done.steps.map((s) => [s.nodeId, s.outcome])).toEqual([
      ['start', 'exited'],
      ['before', 'exited'],
      ['crashy', 'exited'],
      ['after', 'exited'],
    ]);
    expect(h.probe.runsOf('before')).toHaveLength(1);
    const crashy = h.probe.runsOf('crashy');
    expect(crashy.map((r) => r.mayHaveRunBefore)).toEqual([false, true]);
    expect(crashy[0]!.idempotencyKey).toBe(crashy[1]!.idempotencyKey);
  });
});
