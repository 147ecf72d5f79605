import { Queue } from 'bullmq';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createMetrics } from '../metrics.ts';
import { RUN_QUEUE } from './queue.ts';
import { closedEvent, eventually, type Harness, harness, runReaches, workflow } from './test-kit.ts';

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

it('goes on once accepted: a retried run whose job was lost is enqueued again by the requeue sweep', async () => {
  const api = await h.start({ worker: false });
  const worker = api.startWorker({ concurrency: 2, timerPollMs: 20 });
  await api.api.workflows.create(
    workflow(
      'wf',
      [
        { id: 'start', type: 'test.closed', data: {} },
        { id: 'row', type: 'test.action', data: {} },
      ],
      ['start>row'],
    ),
  );
  await api.api.workflows.publish('wf');
  h.probe.failureExitsLeft.set('row', 1);
  const [runId = ''] = await api.api.triggers.conversationClosed(closedEvent());
  await eventually('the run ended with failures', async () =>
    (await api.api.runs.get(runId)).outcome === 'completed_with_failures' ? true : undefined,
  );
  await worker.close();

  // Accepted, then the job that would continue it is lost (no worker took it yet).
  await api.api.runs.retry(runId, 'row', undefined);
  await queue.obliterate({ force: true });
  expect(await h.redis.zscore(`${h.prefix}runs:moving`, runId)).not.toBeNull();

  const metrics = createMetrics();
  const sweeper = await h.start({ worker: false, metrics, requeueAfterMs: 300 });
  sweeper.startWorker({ concurrency: 2, timerPollMs: 20, requeueSweepMs: 50 });
  expect(await runReaches(api, runId, 'completed')).toMatchObject({ outcome: 'completed', failedSteps: [] });
  expect((await metrics.runsRequeued.get()).values.reduce((sum, value) => sum + value.value, 0)).toBe(1);
});
