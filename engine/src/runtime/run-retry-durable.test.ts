import { Queue } from 'bullmq';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createMetrics } from '../metrics.ts';
import type { Runtime } from './options.ts';
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

/** A runtime with no worker left, and a run of workflow 'wf' that ended with its 'row' step failed. */
async function endedWithFailures(conversationId?: string): Promise<{ api: Runtime; runId: string }> {
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
  const [runId = ''] = await api.api.triggers.conversationClosed(closedEvent(conversationId ? { conversationId } : {}));
  await eventually('the run ended with failures', async () =>
    (await api.api.runs.get(runId)).outcome === 'completed_with_failures' ? true : undefined,
  );
  await worker.close();
  return { api, runId };
}

it('goes on once accepted: a retried run whose job was lost is enqueued again by the requeue sweep', async () => {
  const { api, runId } = await endedWithFailures();

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

it('takes the conversation from a run enrolled while the retry is being decided, or is refused: never both hold it', async () => {
  const { api, runId } = await endedWithFailures('conv-race');

  // Another run of the conversation is enrolled (its claim taken, as enrolment does) right after
  // the retry first looks at the claim: the two must not both believe they hold it.
  const claim = `${h.prefix}claim:active:wf:conv-race`;
  let raced = false;
  const enrolAfter = <T>(key: unknown, result: T): Promise<T> => {
    if (key !== claim || raced) return Promise.resolve(result);
    raced = true;
    return h.redis.set(claim, 'run-enrolled-meanwhile', 'NX').then(() => result);
  };
  const client = api.redis as unknown as Record<'get' | 'set', (...args: unknown[]) => Promise<unknown>>;
  for (const name of ['get', 'set'] as const) {
    const original = client[name].bind(api.redis);
    client[name] = (...args) => original(...args).then((result) => enrolAfter(args[0], result));
  }

  const outcome = await api.api.runs.retry(runId, 'row', undefined).then(
    () => 'retried',
    (error: { code?: string }) => error.code,
  );
  expect(raced).toBe(true);
  expect(await h.redis.get(claim)).toBe(outcome === 'retried' ? runId : 'run-enrolled-meanwhile');
});
