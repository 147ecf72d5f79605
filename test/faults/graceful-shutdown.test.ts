import { afterEach, describe, expect, it } from 'vitest';
import { closedEvent } from '../stand-ins/chat-platform.ts';
import { spawnWorkerProcess } from '../support/processes.ts';
import { waitFor } from '../support/wait-for.ts';
import { Cleanup } from './support/cleanup.ts';
import { startCsatInstall } from './support/csat-install.ts';
import { THANKS } from './support/csat-workflow.ts';
import { countCrmPosts, StatusTally, sendEvents, startResponder, waitForRunsToEnd } from './support/load.ts';
import { startSlowCrm } from './support/slow-crm.ts';

/**
 * SIGTERM to a worker process under load: it stops taking jobs, lets the steps it is executing
 * finish and record their outcome, and exits 0. A new worker finishes the rest, and since no
 * step was cut short, no CRM POST is repeated.
 */

const RUNS = 200;

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('a worker process stopped with SIGTERM under load', () => {
  it('drains its in-flight steps, exits 0, and leaves nothing half-done', async () => {
    // Slow enough that a SIGTERM always finds CRM calls under way.
    const crm = cleanup.add('slow CRM', await startSlowCrm({ delayMs: 400 }), (c) => c.close());
    const { chat, product } = await startCsatInstall(cleanup, {
      crmUrl: crm.url,
      product: { worker: false, workerConcurrency: 20 },
    });

    const first = cleanup.add('first worker', await spawnWorkerProcess(product.processEnv()), (w) => w.stop());
    const events = Array.from({ length: RUNS }, () => closedEvent());
    const contacts = new Map(events.map((event) => [event.conversation.id, event.contact.id]));
    const responder = cleanup.add(
      'responder',
      startResponder(
        chat,
        product.platform,
        () => '5',
        (id) => contacts.get(id),
      ),
      (r) => r.stop(),
    );
    const sending = sendEvents(product.platform, events, new StatusTally());

    await waitFor(() => crm.open().length >= 10, { timeoutMs: 60_000, intervalMs: 5, what: '10 CRM calls under way' });
    first.kill('SIGTERM');
    const inFlight = crm.open();
    expect(await first.exited).toEqual({ code: 0, signal: null });
    const { runIds, notAccepted } = await sending;
    expect(notAccepted).toEqual([]);

    // Before any other worker runs: every CRM call under way at the signal was answered and recorded.
    expect(inFlight.filter((request) => request.state !== 'answered')).toEqual([]);
    for (const request of inFlight) {
      const run = await product.runtime.api.runs.get(runIds.get(request.conversationId)!);
      expect(run.steps.find((step) => step.nodeId === 'crm')).toMatchObject({ outcome: 'exited', exit: 'success' });
    }
    const halfDone = [];
    for (const runId of runIds.values()) {
      const run = await product.runtime.api.runs.get(runId);
      if (run.status === 'running') halfDone.push(`${runId} at ${run.currentNodeId}`);
    }
    expect(halfDone).toEqual([]);

    cleanup.add('second worker', await spawnWorkerProcess(product.processEnv()), (w) => w.stop());
    const { runs, missing } = await waitForRunsToEnd(product.runtime.api, runIds.values(), { timeoutMs: 120_000 });
    expect(missing).toEqual([]);
    await responder.stop();
    for (const run of runs.values()) {
      expect(run.status).toBe('completed');
      expect(run.steps.filter((step) => step.outcome === 'failed')).toEqual([]);
      expect(run.steps.some((step) => step.nodeId === 'thanks')).toBe(true);
    }
    for (const conversationId of runIds.keys()) {
      expect(chat.messagesFor(conversationId).filter((message) => message.text === THANKS)).toHaveLength(1);
    }
    const counts = countCrmPosts(crm.requests, runIds.keys());
    console.log(
      `[faults] SIGTERM with ${inFlight.length} CRM calls under way: all answered before exit; CRM POSTs ${counts.posts} for ${RUNS} runs`,
    );
    expect(counts).toMatchObject({ runs: RUNS, posts: RUNS, postedOnce: RUNS });
  });
});
