import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ms } from '../testing/test-nodes.ts';
import type { Runtime } from './options.ts';
import { closedEvent, eventually, type Harness, harness, runReaches, workflow } from './test-kit.ts';

/**
 * Deleting and unpublishing a workflow with runs in progress, on real Redis and real BullMQ
 * workers. A "restart" is a fresh runtime (its own worker, an empty cache of versions) joining
 * the same keys after the first one's worker stopped: what a redeployed worker process sees.
 */

const csat = (id: string, timeoutMs: number | null = null) =>
  workflow(
    id,
    [
      { id: 'start', type: 'test.closed', data: {} },
      {
        id: 'ask',
        type: 'test.ask',
        data: { question: 'Rate us 1-5', saveAs: 'rating', ...(timeoutMs === null ? {} : { timeout: ms(timeoutMs) }) },
      },
      { id: 'thanks', type: 'test.action', data: { text: 'You gave $rating' } },
      { id: 'silence', type: 'test.action', data: { text: 'No answer' } },
    ],
    ['start>ask', 'ask:answered>thanks', 'ask:timeout>silence'],
  );

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(() => h.cleanup());

/** A runtime whose worker the test stops, like a worker process about to be redeployed. */
async function firstProcess() {
  const rt = await h.start({ worker: false });
  const worker = rt.startWorker({ concurrency: 8, timerPollMs: 20 });
  return { rt, stopWorker: () => worker.close() };
}

/** Publishes `input`, enrols one conversation and waits until its run asks. */
async function waitingRun(rt: Runtime, input: ReturnType<typeof csat>) {
  await rt.api.workflows.create(input);
  await rt.api.workflows.publish(String(input.id));
  const event = closedEvent();
  const [runId] = await rt.api.triggers.conversationClosed(event);
  if (!runId) throw new Error('the event enrolled no run');
  await runReaches(rt, runId, 'waiting');
  const reply = (runtime: Runtime, text: string) =>
    runtime.api.inbound({ conversationId: event.conversation.id, contactId: event.contact.id, text });
  return { runId, event, reply };
}

const versionsKey = (id: string) => `${h.prefix}wf:${id}:versions`;

describe('active runs of a workflow', () => {
  it('are counted on the record and the list item while they have not ended; test runs are not', async () => {
    const rt = await h.start();
    const { runId, reply } = await waitingRun(rt, csat('wf'));
    await rt.api.triggers.simulate('wf', {});
    expect((await rt.api.workflows.get('wf')).activeRuns).toBe(1);
    expect((await rt.api.workflows.list()).find((item) => item.id === 'wf')?.activeRuns).toBe(1);

    await reply(rt, '4');
    await runReaches(rt, runId, 'completed');
    expect((await rt.api.workflows.get('wf')).activeRuns).toBe(0);
    expect(await h.redis.hlen(`${h.prefix}wf:active-runs`)).toBe(0);
  });

  it('are counted once after upgrading from a release that did not count them, so deleting still sees them', async () => {
    const { rt, stopWorker } = await firstProcess();
    const { runId, reply } = await waitingRun(rt, csat('wf'));
    // The second conversation enrols in both published workflows.
    await waitingRun(rt, csat('other'));
    await stopWorker();
    const counts = `${h.prefix}wf:active-runs`;
    expect(await h.redis.hgetall(counts)).toEqual({ wf: '2', other: '1' });
    // What the previous release left: runs in progress, and no count and no census of them.
    await h.redis.del(counts, `${h.prefix}wf:active-runs:census`);

    const upgraded = await h.start();
    expect(await h.redis.hgetall(counts)).toEqual({ wf: '2', other: '1' });
    await expect(upgraded.api.workflows.delete('wf')).rejects.toMatchObject({ code: 'ACTIVE_RUNS' });

    await reply(upgraded, '5');
    await runReaches(upgraded, runId, 'completed');
    // Its end takes itself off its own workflow's count, not another run's.
    expect(await h.redis.hgetall(counts)).toEqual({ wf: '1', other: '1' });
    // Counted once: a later start does not count again.
    await h.redis.hset(counts, 'other', '7');
    await h.start();
    expect(await h.redis.hget(counts, 'other')).toBe('7');
  });

  it('make deleting or unpublishing without a choice refused with their count, changing nothing', async () => {
    const rt = await h.start();
    const { runId } = await waitingRun(rt, csat('wf'));

    await expect(rt.api.workflows.delete('wf')).rejects.toMatchObject({
      code: 'ACTIVE_RUNS',
      status: 409,
      details: { activeRuns: 1 },
      message: expect.stringContaining('1 active run'),
    });
    await expect(rt.api.workflows.unpublish('wf')).rejects.toMatchObject({ code: 'ACTIVE_RUNS' });
    expect(await rt.api.workflows.get('wf')).toMatchObject({ status: 'published', publishedVersion: 1 });
    expect((await rt.api.runs.get(runId)).status).toBe('waiting');
    expect(await rt.api.triggers.conversationClosed(closedEvent())).toHaveLength(1);
  });

  it('without any, a workflow is deleted with its versions and no choice is needed', async () => {
    const rt = await h.start();
    await rt.api.workflows.create(csat('wf'));
    await rt.api.workflows.publish('wf');
    await rt.api.workflows.delete('wf');
    expect(await h.redis.exists(versionsKey('wf'))).toBe(0);
    await expect(rt.api.workflows.get('wf')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('deleting a workflow', () => {
  it('"finish": after a restart the waiting run takes its reply and completes on its version; its versions go with it', async () => {
    const first = await firstProcess();
    const { runId, reply } = await waitingRun(first.rt, csat('wf'));

    await first.rt.api.workflows.delete('wf', 'finish');
    await expect(first.rt.api.workflows.get('wf')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await first.rt.api.triggers.conversationClosed(closedEvent())).toEqual([]);
    await first.stopWorker();

    const restarted = await h.start();
    expect(await reply(restarted, '5')).toBe(runId);
    const run = await runReaches(restarted, runId, 'completed');
    expect(run.workflowVersion).toBe(1);
    expect(run.variables).toMatchObject({ rating: 5 });
    expect(run.steps.map((step) => [step.nodeId, step.outcome])).toEqual([
      ['start', 'exited'],
      ['ask', 'paused'],
      ['ask', 'exited'],
      ['thanks', 'exited'],
    ]);
    expect(await h.redis.exists(versionsKey('wf'))).toBe(0);
  });

  it('"finish": after a restart the reply timeout still fires and the run leaves by "timeout"', async () => {
    const first = await firstProcess();
    const { runId } = await waitingRun(first.rt, csat('wf', 400));
    await first.rt.api.workflows.delete('wf', 'finish');
    await first.stopWorker();

    const restarted = await h.start();
    const run = await runReaches(restarted, runId, 'completed');
    expect(run.steps.map((step) => [step.nodeId, step.exit])).toContainEqual(['silence', 'success']);
    expect(await h.redis.exists(versionsKey('wf'))).toBe(0);
  });

  it('keeps the versions of a finishing run when the id is deleted again after being re-created', async () => {
    const rt = await h.start();
    const { runId, reply } = await waitingRun(rt, csat('wf'));
    await rt.api.workflows.delete('wf', 'finish');
    await rt.api.workflows.create(csat('wf'));
    await rt.api.workflows.delete('wf', 'finish');

    const restarted = await h.start();
    expect(await reply(restarted, '2')).toBe(runId);
    expect((await runReaches(restarted, runId, 'completed')).variables).toMatchObject({ rating: 2 });
  });

  it('"cancel": the run is cancelled, its timer and claim are gone, a reply after a restart reaches no run', async () => {
    const first = await firstProcess();
    const { runId, reply } = await waitingRun(first.rt, csat('wf', 60_000));

    await first.rt.api.workflows.delete('wf', 'cancel');
    expect((await first.rt.api.runs.get(runId)).status).toBe('cancelled');
    expect(await h.redis.zcard(`${h.prefix}timers`)).toBe(0);
    expect(await h.redis.exists(versionsKey('wf'))).toBe(0);
    await first.stopWorker();

    const restarted = await h.start();
    expect(await reply(restarted, '5')).toBeNull();
    expect((await restarted.api.runs.get(runId)).status).toBe('cancelled');
  });
});

describe('unpublishing a workflow', () => {
  it('enrols no new event, keeps the draft and versions, lets runs finish, and can be published again', async () => {
    const rt = await h.start();
    const { runId, reply } = await waitingRun(rt, csat('wf'));

    const record = await rt.api.workflows.unpublish('wf', 'finish');
    expect(record).toMatchObject({ status: 'draft', publishedVersion: null, activeRuns: 1 });
    expect(record.versions.map((info) => info.version)).toEqual([1]);
    expect(await rt.api.triggers.conversationClosed(closedEvent())).toEqual([]);
    await expect(
      rt.api.triggers.shortcut('wf', { conversationId: 'c-9', contact: { id: 'p-9' }, triggeredBy: { id: 'agent' } }),
    ).rejects.toMatchObject({ status: 409, code: 'WORKFLOW_NOT_PUBLISHED' });

    expect(await reply(rt, '3')).toBe(runId);
    expect((await runReaches(rt, runId, 'completed')).variables).toMatchObject({ rating: 3 });
    expect((await rt.api.workflows.getVersion('wf', 1)).id).toBe('wf');

    expect((await rt.api.workflows.publish('wf')).status).toBe('published');
    expect(await rt.api.triggers.conversationClosed(closedEvent())).toHaveLength(1);
  });

  it('"cancel" cancels the runs in progress and leaves the draft', async () => {
    const rt = await h.start();
    const { runId, reply } = await waitingRun(rt, csat('wf'));
    expect(await rt.api.workflows.unpublish('wf', 'cancel')).toMatchObject({ status: 'draft', activeRuns: 0 });
    expect((await rt.api.runs.get(runId)).status).toBe('cancelled');
    expect(await reply(rt, '5')).toBeNull();
  });
});

describe('a job that gives up', () => {
  /** A run waiting on a version that is gone (what deleting a workflow used to leave). */
  async function strandedRun(timeoutMs: number | null) {
    const first = await firstProcess();
    const waiting = await waitingRun(first.rt, csat('wf', timeoutMs));
    await first.stopWorker();
    await h.redis.del(versionsKey('wf'));
    return { ...waiting, restarted: await h.start() };
  }

  const gaveUp = (kind: string) => ({
    nodeId: 'ask',
    nodeType: 'test.ask',
    outcome: 'failed',
    error: expect.stringMatching(new RegExp(`^Its ${kind} job gave up after 3 attempts: .*has no version 1`)),
  });

  it('fails its waiting run when it is the deadline job, with the reason in the run log', async () => {
    const { runId, restarted } = await strandedRun(300);
    const run = await runReaches(restarted, runId, 'failed');
    expect(run.steps.at(-1)).toMatchObject(gaveUp('deadline'));
    expect(run.error).toContain('has no version 1');
    expect((await restarted.api.workflows.get('wf')).activeRuns).toBe(0);
  });

  it('fails its waiting run when it is the resume job of a reply', async () => {
    const { runId, reply, restarted } = await strandedRun(null);
    expect(await reply(restarted, '4')).toBe(runId);
    const run = await runReaches(restarted, runId, 'failed');
    expect(run.steps.at(-1)).toMatchObject(gaveUp('resume'));
    await eventually('the run to leave the waiting set', async () =>
      (await h.redis.sismember(`${h.prefix}runs:waiting`, runId)) === 0 ? true : undefined,
    );
  });
});
