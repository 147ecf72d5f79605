import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ChatPlatform, startChatPlatform } from '../../../test/stand-ins/chat-platform.ts';
import type { RunDetail } from '../contract/runs.ts';
import type { Runtime } from './options.ts';
import { closedEvent, eventually, type Harness, harness, publishOnly, runReaches, workflow } from './test-kit.ts';

/** A CRM call whose failure exit is left unwired, then a question when it succeeded. */
const crmThenAsk = (id: string, crm: { text?: string } = {}) =>
  workflow(
    id,
    [
      { id: 'start', type: 'test.closed', data: {} },
      { id: 'crm', type: 'test.action', data: crm },
      { id: 'ask', type: 'test.ask', data: { question: 'Rate us 1-5', saveAs: 'rating' } },
    ],
    ['start>crm', 'crm:success>ask'],
  );

/** A row written after the answer (the CSAT shape): its failure exit ends the run. */
const askThenRow = (id: string, { wiredFailure = false } = {}) =>
  workflow(
    id,
    [
      { id: 'start', type: 'test.closed', data: {} },
      { id: 'row', type: 'test.action', data: {} },
      { id: 'thanks', type: 'test.say', data: { text: 'Thanks!' } },
      ...(wiredFailure ? [{ id: 'ask', type: 'test.ask', data: { question: 'Sorry, rate us?', saveAs: 'r' } }] : []),
    ],
    ['start>row', 'row:success>thanks', ...(wiredFailure ? ['row:failure>ask'] : [])],
  );

let h: Harness;
let platform: ChatPlatform;
let rt: Runtime;
beforeEach(async () => {
  h = await harness();
  platform = await startChatPlatform({ webhookSecret: 'test-secret' });
  rt = await h.start({ channelWebhookUrl: platform.webhookUrl });
});
afterEach(async () => {
  await h.cleanup();
  await platform.close();
});

const publish = (input: ReturnType<typeof workflow>) => publishOnly(rt, input);

async function ended(event = closedEvent()): Promise<RunDetail> {
  const [runId] = await rt.api.triggers.conversationClosed(event);
  if (runId === undefined) throw new Error('no run started');
  return eventually(`run ${runId} ended`, async () => {
    const run = await rt.api.runs.get(runId);
    return run.endedAt === null ? undefined : run;
  });
}

const withFailures = (workflowId: string) =>
  rt.api.runs.page({ workflowId, outcome: 'completed_with_failures', limit: 50 });

describe('retrying a run from a step', () => {
  it('runs the step again with the same variables after the outage, logged in the same run, and leaves the failure index', async () => {
    await publish(askThenRow('csat'));
    h.probe.failureExitsLeft.set('row', 1);
    const failed = await ended();
    expect(failed).toMatchObject({ outcome: 'completed_with_failures', failedSteps: ['row'] });
    expect((await withFailures('csat')).total).toBe(1);

    const retried = await rt.api.runs.retry(failed.id, undefined, 'Ana');
    expect(retried).toMatchObject({ outcome: null, currentNodeId: 'row', failedSteps: [] });
    expect((await withFailures('csat')).total).toBe(0);
    const done = await runReaches(rt, failed.id, 'completed');

    expect(done).toMatchObject({ outcome: 'completed', failedSteps: [], variables: failed.variables });
    expect(done.steps.map((step) => [step.nodeId, step.outcome, step.exit ?? null])).toEqual([
      ['start', 'exited', 'next'],
      ['row', 'exited', 'failure'],
      ['row', 'retried', null],
      ['row', 'exited', 'success'],
      ['thanks', 'exited', 'next'],
    ]);
    expect(done.steps[2]).toMatchObject({ retriedBy: 'Ana' });
    // The node sees a re-execution of its failed attempt: it checks before acting, same key.
    const [first, second] = h.probe.runsOf('row');
    expect(second).toMatchObject({ mayHaveRunBefore: true, idempotencyKey: first?.idempotencyKey });
    expect(platform.messagesFor(failed.conversationId).map((message) => message.text)).toEqual(['Thanks!']);
    expect(await rt.api.runs.page({ workflowId: 'csat', outcome: 'completed', limit: 5 })).toMatchObject({ total: 1 });
  });

  it('leaves the run with failures again when the step fails again', async () => {
    await publish(askThenRow('csat'));
    h.probe.failureExitsLeft.set('row', 2);
    const failed = await ended();
    await rt.api.runs.retry(failed.id, 'row', undefined);
    const again = await eventually('the retried run ended', async () => {
      const run = await rt.api.runs.get(failed.id);
      return run.endedAt === null ? undefined : run;
    });
    expect(again).toMatchObject({ status: 'completed', outcome: 'completed_with_failures', failedSteps: ['row'] });
    expect(again.steps.filter((step) => step.exit === 'failure')).toHaveLength(2);
    expect(again.steps.find((step) => step.outcome === 'retried')?.retriedBy).toBeUndefined();
    expect((await withFailures('csat')).runs.map((run) => run.id)).toEqual([failed.id]);
  });

  it('runs a failed run on the version published since, which fixed the step, and says so', async () => {
    await publish(crmThenAsk('crm', { text: 'fail' }));
    const failed = await ended();
    expect(failed).toMatchObject({ status: 'failed', currentNodeId: 'crm', workflowVersion: 1 });
    expect(await rt.api.runs.page({ workflowId: 'crm', outcome: 'failed', limit: 5 })).toMatchObject({ total: 1 });
    // Listed as failed at its step, as the bulk retry finds it.
    expect(await rt.api.runs.page({ workflowId: 'crm', nodeId: 'crm', limit: 5 })).toMatchObject({ total: 1 });

    await rt.api.workflows.update('crm', crmThenAsk('crm'));
    await rt.api.workflows.publish('crm');
    const retried = await rt.api.runs.retry(failed.id, undefined, undefined);
    expect(retried).toMatchObject({ workflowVersion: 2 });
    expect(retried).not.toHaveProperty('error');
    const waiting = await runReaches(rt, failed.id, 'waiting');
    expect(waiting.steps.find((step) => step.outcome === 'retried')).toMatchObject({
      nodeId: 'crm',
      note: expect.stringContaining('version 2'),
    });
    expect(await rt.api.runs.page({ workflowId: 'crm', outcome: 'failed', limit: 5 })).toMatchObject({ total: 0 });
    // Active again: it holds its conversation, so its replies reach it.
    await rt.api.inbound({ conversationId: failed.conversationId, contactId: failed.contactId, text: '4' });
    expect(await runReaches(rt, failed.id, 'completed')).toMatchObject({
      outcome: 'completed',
      variables: { rating: 4 },
    });
  });

  it('is refused, naming why, for runs and steps it cannot run again', async () => {
    const refusal = (reason: string | RegExp) => ({
      status: 409,
      code: 'RUN_NOT_RETRYABLE',
      message: expect.stringMatching(reason),
    });
    await publish(crmThenAsk('wf'));
    const [activeId = ''] = await rt.api.triggers.conversationClosed(closedEvent());
    await runReaches(rt, activeId, 'waiting');
    await expect(rt.api.runs.retry(activeId, undefined, undefined)).rejects.toMatchObject(
      refusal(/has not ended \(it is waiting\)/),
    );
    await expect(rt.api.runs.retry('nope', undefined, undefined)).rejects.toMatchObject({ status: 404 });

    await publish(askThenRow('rows'));
    const fine = await ended();
    await expect(rt.api.runs.retry(fine.id, undefined, undefined)).rejects.toMatchObject(
      refusal(/completed without a failed step/),
    );

    h.probe.failureExitsLeft.set('row', 1);
    const failed = await ended();
    await expect(rt.api.runs.retry(failed.id, 'thanks', undefined)).rejects.toMatchObject(refusal(/"thanks".*"row"/));

    // Published again without the step: nothing to run it on.
    await rt.api.workflows.update(
      'rows',
      workflow(
        'rows',
        [
          { id: 'start', type: 'test.closed', data: {} },
          { id: 'end', type: 'test.end', data: {} },
        ],
        ['start>end'],
      ),
    );
    await rt.api.workflows.publish('rows');
    await expect(rt.api.runs.retry(failed.id, undefined, undefined)).rejects.toMatchObject(
      refusal(/step "row" is not in version 2/),
    );
    expect(await rt.api.runs.get(failed.id)).toMatchObject({ status: 'completed', outcome: 'completed_with_failures' });

    // The run asked the contact after the step failed: a retry would ask again and count twice.
    await publish(askThenRow('sorry', { wiredFailure: true }));
    h.probe.failureExitsLeft.set('row', 1);
    const [askedId = ''] = await rt.api.triggers.conversationClosed(closedEvent());
    const asked = await runReaches(rt, askedId, 'waiting');
    await rt.api.inbound({ conversationId: asked.conversationId, contactId: asked.contactId, text: '2' });
    await runReaches(rt, askedId, 'completed');
    await expect(rt.api.runs.retry(askedId, undefined, undefined)).rejects.toMatchObject(
      refusal(/would run step "ask" again/),
    );

    const testRunId = await rt.api.triggers.simulate('sorry', {});
    await expect(rt.api.runs.retry(testRunId, 'row', undefined)).rejects.toMatchObject(refusal(/test run/));
  });

  it('fails with the error, not a refusal, when Redis fails reading the workflow version', async () => {
    await publish(askThenRow('csat'));
    h.probe.failureExitsLeft.set('row', 1);
    const failed = await ended();
    const client = rt.redis as unknown as { hget: (...args: unknown[]) => Promise<unknown> };
    const hget = client.hget.bind(rt.redis);
    client.hget = (...args) =>
      args[0] === `${h.prefix}wf:csat:versions` ? Promise.reject(new Error('LOADING dataset')) : hget(...args);

    await expect(rt.api.runs.retry(failed.id, undefined, undefined)).rejects.toThrow('LOADING dataset');
    expect(await rt.api.runs.get(failed.id)).toMatchObject({ outcome: 'completed_with_failures' });
  });

  it('is refused for a deleted workflow, even while its versions are kept for its runs still active', async () => {
    await publish(crmThenAsk('wf'));
    h.probe.failureExitsLeft.set('crm', 1);
    const failed = await ended();
    const [activeId = ''] = await rt.api.triggers.conversationClosed(closedEvent());
    await runReaches(rt, activeId, 'waiting');
    await rt.api.workflows.delete('wf', 'finish');

    await expect(rt.api.runs.retry(failed.id, undefined, undefined)).rejects.toMatchObject({
      code: 'RUN_NOT_RETRYABLE',
      message: expect.stringContaining('workflow "wf" was deleted'),
    });
  });
});

describe('retrying every failed run of a step', () => {
  it('retries the runs that left the step by failure and skips, with the reason, those it cannot', async () => {
    await publish(crmThenAsk('wf'));
    h.probe.failureExitsLeft.set('crm', 3);
    const blocked = await ended(closedEvent({ conversationId: 'conv-shared' }));
    const others = [await ended(), await ended()];
    // The same conversation started again: its new run is active and holds the conversation.
    const [activeId = ''] = await rt.api.triggers.conversationClosed(closedEvent({ conversationId: 'conv-shared' }));
    await runReaches(rt, activeId, 'waiting');

    const result = await rt.api.runs.retryAll('wf', { nodeId: 'crm' }, 'Ana');
    expect(result.retried.sort()).toEqual(others.map((run) => run.id).sort());
    expect(result.skipped).toEqual([
      { runId: blocked.id, reason: expect.stringContaining(`another active run of this workflow (${activeId})`) },
    ]);
    expect(result).toMatchObject({ limit: 1000, more: false });
    for (const run of others) await runReaches(rt, run.id, 'waiting');
    expect((await withFailures('wf')).runs.map((run) => run.id)).toEqual([blocked.id]);

    expect(await rt.api.runs.retryAll('wf', { nodeId: 'ask' }, undefined)).toMatchObject({ retried: [], skipped: [] });
    await expect(rt.api.runs.retryAll('missing', { nodeId: 'crm' }, undefined)).rejects.toMatchObject({ status: 404 });
  });

  it('reports a run whose retry hit an error as skipped, with the error, and retries the others', async () => {
    await publish(crmThenAsk('wf'));
    h.probe.failureExitsLeft.set('crm', 2);
    const [broken, fine] = [await ended(), await ended()];
    // Redis fails taking the lock of one run.
    const client = rt.redis as unknown as { set: (...args: unknown[]) => Promise<unknown> };
    const set = client.set.bind(rt.redis);
    client.set = (...args) =>
      args[0] === `${h.prefix}run:${broken.id}:lock` ? Promise.reject(new Error('READONLY replica')) : set(...args);

    const result = await rt.api.runs.retryAll('wf', { nodeId: 'crm' }, undefined);
    expect(result.retried).toEqual([fine.id]);
    expect(result.skipped).toEqual([{ runId: broken.id, reason: expect.stringContaining('READONLY replica') }]);
  });

  it('lists the step’s failed test runs as skipped, saying why, as the runs list counts them', async () => {
    await publish(crmThenAsk('wf'));
    h.probe.failureExitsLeft.set('crm', 2);
    const published = await ended();
    const testRunId = await rt.api.triggers.simulate('wf', {});
    await eventually('the test run ended', async () => ((await rt.api.runs.get(testRunId)).endedAt ? true : undefined));

    const result = await rt.api.runs.retryAll('wf', { nodeId: 'crm' }, undefined);
    expect(result.retried).toEqual([published.id]);
    expect(result.skipped).toEqual([{ runId: testRunId, reason: expect.stringContaining('it is a test run') }]);
  });
});
