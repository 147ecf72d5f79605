import { Queue } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMetrics, type Metrics } from '../metrics.ts';
import type { Runtime } from './options.ts';
import { RUN_QUEUE } from './queue.ts';
import { closedEvent, type Harness, harness, runReaches, workflow } from './test-kit.ts';

/**
 * Runs left without a job (a lost enqueue, a job that vanished with its worker) are found by the
 * requeue sweep of a worker and finished, exactly once; runs a job holds are left alone.
 */

const REQUEUE_AFTER_MS = 300;

let h: Harness;
let queue: Queue;
beforeEach(async () => {
  h = await harness();
  queue = new Queue(RUN_QUEUE, { connection: h.redis, prefix: `${h.prefix}bull` });
});
afterEach(async () => {
  await queue.close();
  await h.cleanup();
});

/** start → act (records its run) → end. */
const oneAction = (id: string, act: Record<string, unknown> = {}) =>
  workflow(
    id,
    [
      { id: 'start', type: 'test.closed', data: {} },
      { id: 'act', type: 'test.action', data: { text: 'done', ...act } },
    ],
    ['start>act'],
  );

async function publish(rt: Runtime, input: ReturnType<typeof workflow>): Promise<void> {
  await rt.api.workflows.create(input);
  await rt.api.workflows.publish(String(input.id));
}

/** A runtime whose only worker sweeps every 50 ms, counting into `metrics`. */
async function sweepingWorker(metrics: Metrics): Promise<Runtime> {
  const rt = await h.start({ worker: false, metrics, requeueAfterMs: REQUEUE_AFTER_MS });
  rt.startWorker({ concurrency: 4, timerPollMs: 20, requeueSweepMs: 50 });
  return rt;
}

const requeued = async (metrics: Metrics) =>
  (await metrics.runsRequeued.get()).values.reduce((sum, value) => sum + value.value, 0);

describe('the requeue sweep', () => {
  it('finishes a queued run whose start job was never added, exactly once, and counts it once', async () => {
    // The API process: it creates the run; the add of its start job is lost (removed here).
    const api = await h.start({ worker: false });
    await publish(api, oneAction('wf'));
    const [runId] = await api.api.triggers.conversationClosed(closedEvent());
    if (!runId) throw new Error('no run enrolled');
    expect(await queue.remove(`start-${runId}`)).toBe(1);
    expect(await h.redis.zscore(`${h.prefix}runs:moving`, runId)).not.toBeNull();

    // Two worker processes sweep; one sweep enqueues the run again.
    const metrics = [createMetrics(), createMetrics()];
    await sweepingWorker(metrics[0]!);
    await sweepingWorker(metrics[1]!);
    await runReaches(api, runId, 'completed');
    await new Promise((resolve) => setTimeout(resolve, 3 * REQUEUE_AFTER_MS));

    expect(h.probe.runsOf('act')).toHaveLength(1);
    expect((await requeued(metrics[0]!)) + (await requeued(metrics[1]!))).toBe(1);
    const detail = await api.api.runs.get(runId);
    expect(detail.steps.map((step) => `${step.nodeId}:${step.outcome}`)).toEqual(['start:exited', 'act:exited']);
    // Ended: out of the index, so it costs nothing more.
    expect(await h.redis.zscore(`${h.prefix}runs:moving`, runId)).toBeNull();
  });

  it('takes over a running run whose job vanished with its worker, once its lock expired', async () => {
    const first = await h.start({ worker: false, runLockMs: 500 });
    const dying = first.startWorker({ concurrency: 1 });
    await publish(first, oneAction('wf'));
    h.probe.hangOnce.add('act');
    const [runId] = await first.api.triggers.conversationClosed(closedEvent());
    if (!runId) throw new Error('no run enrolled');
    await runReaches(first, runId, 'running', () => h.probe.hanging.has('act'));
    // The worker dies mid-step, and its job is lost with it.
    await dying.close({ force: true });
    await queue.obliterate({ force: true });

    const metrics = createMetrics();
    await sweepingWorker(metrics);
    const done = await runReaches(first, runId, 'completed');

    expect(done.steps.filter((step) => step.nodeId === 'act')).toHaveLength(1);
    expect(h.probe.runsOf('act').map((execution) => execution.mayHaveRunBefore)).toEqual([false, true]);
    expect(await requeued(metrics)).toBe(1);
  });

  it('leaves alone a run whose step outlasts the threshold while its job holds it', async () => {
    const metrics = createMetrics();
    const rt = await sweepingWorker(metrics);
    await publish(rt, oneAction('wf', { gated: true }));
    const [runId] = await rt.api.triggers.conversationClosed(closedEvent());
    if (!runId) throw new Error('no run enrolled');
    const gate = h.probe.gate('act');
    await runReaches(rt, runId, 'running', () => gate.reached);
    // Quiet (no write) for many thresholds: the sweep looks at it and must see its job.
    await new Promise((resolve) => setTimeout(resolve, 5 * REQUEUE_AFTER_MS));
    gate.open();
    await runReaches(rt, runId, 'completed');

    expect(h.probe.runsOf('act')).toEqual([expect.objectContaining({ mayHaveRunBefore: false })]);
    expect(await requeued(metrics)).toBe(0);
  });
});
