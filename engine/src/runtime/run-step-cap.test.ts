import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closedEvent, type Harness, harness, runReaches, workflow } from './test-kit.ts';

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(() => h.cleanup());

/** A nag that never ends: say something, wait `ms`, say it again. */
const nag = (id: string, ms: number) =>
  workflow(
    id,
    [
      { id: 'start', type: 'test.closed', data: {} },
      { id: 'say', type: 'test.action', data: { text: 'Still there?' } },
      { id: 'pause', type: 'test.wait', data: { ms } },
    ],
    ['start>say', 'say:success>pause', 'pause>say'],
  );

describe('the cap on steps per run', () => {
  it('fails a run that loops once it has taken the most steps allowed, saying why, at the step it stopped at', async () => {
    const rt = await h.start({ maxStepsPerRun: 20 });
    await rt.api.workflows.create(nag('loop', 0));
    await rt.api.workflows.publish('loop');
    const [runId] = await rt.api.triggers.conversationClosed(closedEvent());

    const failed = await runReaches(rt, runId!, 'failed');
    const reason =
      'Stopped after 20 steps: the workflow loops (step "say" was reached 10 times), and a run may take at most 20 steps (RUN_MAX_STEPS).';
    expect(failed.error).toBe(reason);
    // The trigger, then "say" and "pause" in turn: 20 steps executed, the 21st (a "pause") refused.
    expect(h.probe.runsOf('say')).toHaveLength(10);
    const executed = failed.steps.filter((step) => step.outcome === 'exited');
    expect(executed).toHaveLength(20);
    expect(failed.steps.at(-1)).toMatchObject({ nodeId: 'pause', outcome: 'failed', error: reason });
    expect(failed.endedAt).not.toBeNull();
    expect(await rt.api.runs.list({ workflowId: 'loop', status: 'waiting', limit: 10 })).toEqual([]);
  });

  it('lets a run take exactly the most steps allowed, across its jobs', async () => {
    const rt = await h.start({ maxStepsPerRun: 4 });
    const bounded = workflow(
      'bounded',
      [
        { id: 'start', type: 'test.closed', data: {} },
        { id: 'a', type: 'test.wait', data: { ms: 0 } },
        { id: 'b', type: 'test.wait', data: { ms: 0 } },
        { id: 'c', type: 'test.action', data: {} },
      ],
      ['start>a', 'a>b', 'b>c'],
    );
    await rt.api.workflows.create(bounded);
    await rt.api.workflows.publish('bounded');
    const [runId] = await rt.api.triggers.conversationClosed(closedEvent());
    const done = await runReaches(rt, runId!, 'completed');
    expect(done.steps.filter((step) => step.outcome === 'exited').map((step) => step.nodeId)).toEqual([
      'start',
      'a',
      'b',
      'c',
    ]);
  });
});

describe('visit counts', () => {
  it('count steps named like properties of Object.prototype as any other', async () => {
    const rt = await h.start();
    const odd = workflow(
      'odd-ids',
      [
        { id: 'start', type: 'test.closed', data: {} },
        { id: 'toString', type: 'test.action', data: {} },
        { id: 'constructor', type: 'test.wait', data: { ms: 0 } },
        { id: 'hasOwnProperty', type: 'test.action', data: {} },
      ],
      ['start>toString', 'toString:success>constructor', 'constructor>hasOwnProperty'],
    );
    await rt.api.workflows.create(odd);
    await rt.api.workflows.publish('odd-ids');
    const [runId] = await rt.api.triggers.conversationClosed(closedEvent());
    await runReaches(rt, runId!, 'completed');
    expect(h.probe.executions.map((execution) => execution.idempotencyKey)).toEqual([
      `${runId}:toString:1`,
      `${runId}:hasOwnProperty:1`,
    ]);
  });
});
