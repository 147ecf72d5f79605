import { afterEach, describe, expect, it } from 'vitest';
import { closedEvent } from '../stand-ins/chat-platform.ts';
import { startCrm } from '../stand-ins/crm.ts';
import { spawnWorkerProcess } from '../support/processes.ts';
import { waitFor } from '../support/wait-for.ts';
import { Cleanup } from './support/cleanup.ts';
import { startCsatInstall } from './support/csat-install.ts';
import { QUESTION, THANKS } from './support/csat-workflow.ts';
import {
  acceptedPosts,
  countCrmPosts,
  StatusTally,
  sendEvents,
  startResponder,
  waitForRunsToEnd,
} from './support/load.ts';

/**
 * A worker process dies (SIGKILL: no shutdown code runs) with hundreds of CSAT runs in every
 * stage; a second worker process takes them over once their locks expire. At-least-once
 * execution may POST to the CRM again, but only with the Idempotency-Key of the first POST.
 */

const RUNS = 500;

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('a worker process killed mid-load', () => {
  it(`lets a second worker finish all ${RUNS} runs, re-posting to the CRM only under the same Idempotency-Key`, async () => {
    const crm = cleanup.add('CRM stand-in', await startCrm(), (c) => c.close());
    const { chat, product } = await startCsatInstall(cleanup, {
      crmUrl: crm.url,
      product: { worker: false, workerConcurrency: 50 },
    });

    const first = cleanup.add('first worker', await spawnWorkerProcess(product.processEnv()), (w) => w.stop());
    const events = Array.from({ length: RUNS }, () => closedEvent());
    const contacts = new Map(events.map((event) => [event.conversation.id, event.contact.id]));
    const ratings = new Map(events.map((event, i) => [event.conversation.id, String(1 + (i % 5))]));
    const responder = startResponder(
      chat,
      product.platform,
      (conversationId) => ratings.get(conversationId) ?? '3',
      (conversationId) => contacts.get(conversationId),
    );
    cleanup.add('responder', responder, (r) => r.stop());

    const tally = new StatusTally();
    const sending = sendEvents(product.platform, events, tally, { concurrency: 20 });
    // Kill once a fifth of the runs reached the CRM: the rest are queued, asking, waiting or posting.
    await waitFor(() => crm.received.length >= RUNS / 5, { timeoutMs: 120_000, intervalMs: 5, what: 'CRM POSTs' });
    first.kill('SIGKILL');
    const killed = await first.exited;
    const atKill = {
      crmPosts: crm.received.length,
      questions: chat.messages.filter((message) => message.text === QUESTION).length,
    };
    expect(killed.signal).toBe('SIGKILL');

    cleanup.add('second worker', await spawnWorkerProcess(product.processEnv()), (w) => w.stop());
    const { runIds, notAccepted } = await sending;
    expect(notAccepted).toEqual([]);
    expect(tally.toString()).toBe(`202×${RUNS}`);
    const { runs, missing } = await waitForRunsToEnd(product.runtime.api, runIds.values(), { timeoutMs: 240_000 });
    expect(missing).toEqual([]);
    await responder.stop();

    const notCompleted = [...runs.values()].filter(
      (run) => run.status !== 'completed' || !run.steps.some((step) => step.nodeId === 'thanks'),
    );
    expect(notCompleted.map((run) => `${run.id}: ${run.status} ${run.error ?? ''}`)).toEqual([]);
    for (const [conversationId, runId] of runIds) {
      expect(runs.get(runId)?.variables.rating, conversationId).toBe(Number(ratings.get(conversationId)));
      expect(chat.messagesFor(conversationId).some((message) => message.text === THANKS)).toBe(true);
    }
    const counts = countCrmPosts(acceptedPosts(crm), runIds.keys());
    console.log(
      `[faults] SIGKILL with ${RUNS - atKill.crmPosts} of ${RUNS} runs short of the CRM (${atKill.questions} questions sent): ` +
        `CRM POSTs ${counts.posts}; runs posted once ${counts.postedOnce}, again with the same Idempotency-Key ` +
        `${counts.postedAgainWithSameKey}, again with another key ${counts.postedAgainWithOtherKey}, never ${counts.neverPosted}; ` +
        `replies sent ${responder.sent} (${responder.tally})`,
    );
    expect(counts).toMatchObject({ runs: RUNS, neverPosted: 0, postedAgainWithOtherKey: 0 });
  });
});
