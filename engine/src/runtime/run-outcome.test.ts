import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ChatPlatform, startChatPlatform } from '../../../test/stand-ins/chat-platform.ts';
import { ms } from '../testing/test-nodes.ts';
import type { Runtime } from './options.ts';
import { closedEvent, eventually, type Harness, harness, publishOnly, runReaches, workflow } from './test-kit.ts';

/** A question with a short time limit; `wired` sends its timeout exit on to a step. */
const survey = (id: string, { wired }: { wired: boolean }) =>
  workflow(
    id,
    [
      { id: 'start', type: 'test.closed', data: {} },
      { id: 'ask', type: 'test.ask', data: { question: 'Rate us 1-5', saveAs: 'rating', timeout: ms(40) } },
      { id: 'thanks', type: 'test.action', data: {} },
      ...(wired ? [{ id: 'silence', type: 'test.action', data: {} }] : []),
    ],
    ['start>ask', 'ask:answered>thanks', ...(wired ? ['ask:timeout>silence'] : [])],
  );

const quick = (id: string) =>
  workflow(
    id,
    [
      { id: 'start', type: 'test.closed', data: {} },
      { id: 'done', type: 'test.action', data: {} },
    ],
    ['start>done'],
  );

const broken = (id: string) =>
  workflow(
    id,
    [
      { id: 'start', type: 'test.closed', data: {} },
      { id: 'crm', type: 'test.action', data: { text: 'fail' } },
    ],
    ['start>crm'],
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

async function start(workflowId: string) {
  const event = closedEvent();
  const [runId] = await rt.api.triggers.conversationClosed(event);
  if (runId === undefined) throw new Error(`no run started in ${workflowId}`);
  return { runId, event };
}

/** A run of `workflowId` brought to its end: answered, left to time out, or failing on its own. */
async function ended(workflowId: string, answer?: string) {
  const { runId, event } = await start(workflowId);
  if (answer !== undefined) {
    await runReaches(rt, runId, 'waiting');
    await rt.api.inbound({ conversationId: event.conversation.id, contactId: event.contact.id, text: answer });
  }
  return eventually(`run ${runId} ended`, async () => {
    const run = await rt.api.runs.get(runId);
    return run.endedAt === null ? undefined : run;
  });
}

describe("a run's outcome", () => {
  it('is completed when no step left by a failure exit, and null while the run is active', async () => {
    await publish(survey('wf', { wired: true }));
    const { runId, event } = await start('wf');
    expect(await runReaches(rt, runId, 'waiting')).toMatchObject({ outcome: null, failedSteps: [] });
    await rt.api.inbound({ conversationId: event.conversation.id, contactId: event.contact.id, text: '5' });
    expect(await runReaches(rt, runId, 'completed')).toMatchObject({ outcome: 'completed', failedSteps: [] });
  });

  it('is completed with failures when a step left by its timeout exit, wired on or not', async () => {
    await publish(survey('wired', { wired: true }));
    const wired = await ended('wired');
    expect(wired).toMatchObject({ status: 'completed', outcome: 'completed_with_failures', failedSteps: ['ask'] });
    expect(wired.steps.map((step) => step.nodeId)).toContain('silence');
    await publish(survey('loose', { wired: false }));
    const loose = await ended('loose');
    expect(loose).toMatchObject({ status: 'completed', outcome: 'completed_with_failures', failedSteps: ['ask'] });
    expect(await rt.api.runs.list({ workflowId: 'loose', limit: 5 })).toMatchObject([
      { outcome: 'completed_with_failures', failedSteps: ['ask'] },
    ]);
  });

  it('is failed when an error ended the run, and cancelled when an operator stopped it', async () => {
    await publish(broken('broken'));
    expect(await ended('broken')).toMatchObject({ status: 'failed', outcome: 'failed', failedSteps: [] });
    await publish(survey('wf', { wired: true }));
    const { runId } = await start('wf');
    await runReaches(rt, runId, 'waiting');
    expect(await rt.api.runs.cancel(runId)).toMatchObject({ status: 'cancelled', outcome: 'cancelled' });
  });

  it('reads as completed for a run recorded before outcomes were kept', async () => {
    const before = {
      w: 'old',
      v: 1,
      c: 'conv-old',
      k: 'contact-old',
      s: 'completed',
      a: 1_000,
      u: 9,
      e: 9,
      o: {},
      V: {},
      q: 0,
    };
    await h.redis.set(`${h.prefix}run:run-old`, `${JSON.stringify(before)}\n`);
    expect(await rt.api.runs.get('run-old')).toMatchObject({
      status: 'completed',
      outcome: 'completed',
      failedSteps: [],
    });
  });
});

describe('the runs list', () => {
  it('pages newest first with the total, and filters by outcome, step and date', async () => {
    await publish(quick('quick'));
    const completed = [];
    for (let i = 0; i < 5; i += 1) completed.push(await ended('quick'));
    await publish(survey('wf', { wired: false }));
    const late = await ended('wf');
    await publish(broken('broken'));
    const failed = await ended('broken');

    const pages = await Promise.all(
      [0, 2, 4].map((offset) => rt.api.runs.page({ workflowId: 'quick', limit: 2, offset })),
    );
    expect(pages.map((page) => page.runs.length)).toEqual([2, 2, 1]);
    expect(pages.every((page) => page.total === 5 && page.exact)).toBe(true);
    expect(pages.flatMap((page) => page.runs.map((run) => run.id))).toEqual(completed.map((run) => run.id).reverse());

    const withFailures = await rt.api.runs.page({ outcome: 'completed_with_failures', limit: 10 });
    expect(withFailures).toMatchObject({ total: 1, exact: true, runs: [{ id: late.id }] });
    const failures = await rt.api.runs.page({ outcome: 'failed', limit: 10 });
    expect(failures).toMatchObject({ total: 1, runs: [{ id: failed.id }] });
    const anyFailure = await rt.api.runs.page({ outcome: 'any_failure', limit: 10 });
    expect(anyFailure).toMatchObject({ total: 2, runs: [{ id: failed.id }, { id: late.id }] });
    expect(await rt.api.runs.page({ nodeId: 'ask', limit: 10 })).toMatchObject({ total: 1, runs: [{ id: late.id }] });
    expect(await rt.api.runs.page({ nodeId: 'done', limit: 10 })).toMatchObject({ total: 0, runs: [] });
    const plain = await rt.api.runs.page({ outcome: 'completed', limit: 3 });
    expect(plain).toMatchObject({ total: 5, exact: true });
    expect(plain.runs.map((run) => run.id)).toEqual(
      completed
        .slice(2)
        .map((run) => run.id)
        .reverse(),
    );

    const [, second, third] = completed;
    const between = await rt.api.runs.page({
      workflowId: 'quick',
      from: new Date(second?.createdAt ?? 0).toISOString(),
      to: new Date(third?.createdAt ?? 0).toISOString(),
      limit: 10,
    });
    expect(between.runs.map((run) => run.id)).toEqual([third?.id, second?.id]);
    expect(between.total).toBe(2);

    const listed = await rt.api.workflows.list();
    expect(listed.find((item) => item.id === 'wf')).toMatchObject({ runsLast24h: 1, failuresLast24h: 1 });
    expect(listed.find((item) => item.id === 'broken')).toMatchObject({ failuresLast24h: 1 });
    expect(listed.find((item) => item.id === 'quick')).toMatchObject({ runsLast24h: 5, failuresLast24h: 0 });
  });
});
