import type { RunDetail } from '@convoflow/engine';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { runtimeKeys } from '../../engine/src/runtime/keys.ts';
import { RunQueue } from '../../engine/src/runtime/queue.ts';
import { closedEvent } from '../stand-ins/chat-platform.ts';
import { startCrm } from '../stand-ins/crm.ts';
import { spawnWorkerProcess } from '../support/processes.ts';
import type { Product } from '../support/product.ts';
import { waitFor } from '../support/wait-for.ts';
import { Cleanup } from './support/cleanup.ts';
import { startCsatInstall } from './support/csat-install.ts';
import { NO_ANSWER, QUESTION, THANKS } from './support/csat-workflow.ts';
import { deliver, StatusTally, waitForRunsToEnd } from './support/load.ts';

/** The platform delivers twice, and a reply meets its own timeout: each must count once. */

const DUPLICATED_EVENTS = 100;
const RACES = 1_000;
const RACE_CONCURRENCY = 40;

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

async function stack(options: { worker: boolean }) {
  const crm = cleanup.add('CRM stand-in', await startCrm(), (c) => c.close());
  const { chat, product } = await startCsatInstall(cleanup, {
    crmUrl: crm.url,
    product: { worker: options.worker, workerConcurrency: 20 },
  });
  return { chat, crm, product };
}

async function runReaches(product: Product, runId: string, status: RunDetail['status']): Promise<RunDetail> {
  return waitFor(
    async () => {
      const run = await product.runtime.api.runs.get(runId);
      return run.status === status ? run : null;
    },
    { timeoutMs: 30_000, intervalMs: 10, what: `run ${runId} to be ${status}` },
  );
}

describe('duplicate deliveries', () => {
  it(`the same event ×3 at once makes one run, for each of ${DUPLICATED_EVENTS} events; the same reply ×3 answers once`, async () => {
    const { chat, product } = await stack({ worker: true });
    const tally = new StatusTally();
    const events = Array.from({ length: DUPLICATED_EVENTS }, () => closedEvent());
    const answers = await Promise.all(
      events.map((event) =>
        Promise.all([1, 2, 3].map(() => deliver(() => product.platform.sendConversationClosed(event), tally))),
      ),
    );
    expect(tally.toString()).toBe(`202×${DUPLICATED_EVENTS * 3}`);
    for (const [i, event] of events.entries()) {
      const [first, ...again] = answers[i]!;
      expect(first!.body).toMatchObject({ runs: [expect.any(String)] });
      for (const other of again) expect(other.body).toEqual(first!.body);
      const listed = await product.api('GET', `/api/runs?conversationId=${encodeURIComponent(event.conversation.id)}`);
      expect(listed.body).toMatchObject([{ conversationId: event.conversation.id }]);
    }

    // Each run asks once; the contact's reply arrives three times under one event id.
    const runIds = answers.map(([first]) => (first!.body as { runs: string[] }).runs[0]!);
    await Promise.all(runIds.map((runId) => runReaches(product, runId, 'waiting')));
    await Promise.all(
      events.map((event) => {
        const reply = {
          eventId: `reply-${event.conversation.id}`,
          conversationId: event.conversation.id,
          contactId: event.contact.id,
          text: '2',
        };
        return Promise.all([1, 2, 3].map(() => deliver(() => product.platform.sendReply(reply), tally)));
      }),
    );
    const { runs, missing } = await waitForRunsToEnd(product.runtime.api, runIds, { timeoutMs: 60_000 });
    expect(missing).toEqual([]);
    for (const [i, event] of events.entries()) {
      const run = runs.get(runIds[i]!)!;
      expect(run.status).toBe('completed');
      expect(run.transcript.filter((message) => message.from === 'contact')).toHaveLength(1);
      expect(chat.messagesFor(event.conversation.id).map((message) => message.text)).toEqual([QUESTION, THANKS]);
    }
  });
});

describe('a reply and its timeout at the same instant, on two worker processes', () => {
  it(`takes exactly one exit, ${RACES} times`, async () => {
    const { chat, product } = await stack({ worker: false });
    for (const name of ['worker A', 'worker B']) {
      cleanup.add(name, await spawnWorkerProcess(product.processEnv()), (w) => w.stop());
    }
    const queueErrors: string[] = [];
    // The product's own queue client: the deadline job it enqueues is the one its timer poller enqueues when a deadline passes.
    const redis = cleanup.add('Redis client', new Redis(product.config.redisUrl), async (r) => r.quit());
    const queue = cleanup.add(
      'run queue',
      new RunQueue(redis, runtimeKeys(product.prefix).bullPrefix(), { attempts: 5, backoffMs: 2_000 }, (error) =>
        queueErrors.push(error.message),
      ),
      (q) => q.close(),
    );
    const tally = new StatusTally();
    const exits = { answered: 0, timeout: 0 };
    const problems: string[] = [];

    const race = async (i: number) => {
      const event = closedEvent();
      const conversationId = event.conversation.id;
      const accepted = await deliver(() => product.platform.sendConversationClosed(event), tally);
      const runId = (accepted.body as { runs: string[] }).runs[0]!;
      await runReaches(product, runId, 'waiting');
      // The timeout fires 0–38 ms after the reply is sent, so both orders occur: the reply's HTTP
      // call lands just before, or just after, the deadline job.
      const timeout = async () => {
        await new Promise((resolve) => setTimeout(resolve, (i % 20) * 2));
        await queue.deadline(runId, 1);
      };
      const reply = () =>
        deliver(
          () =>
            product.platform.sendReply({
              eventId: `reply-${conversationId}`,
              conversationId,
              contactId: event.contact.id,
              text: String(1 + (i % 5)),
            }),
          tally,
        );
      // The question's deadline is an hour away: its timeout (wait 1, the run's first pause) is fired by hand.
      await Promise.all([timeout(), reply()]);
      const [run] = (await waitForRunsToEnd(product.runtime.api, [runId], { timeoutMs: 30_000 })).runs.values();
      if (!run) {
        problems.push(`#${i} run ${runId} is missing`);
        return;
      }
      const askExits = run!.steps.filter((step) => step.nodeId === 'ask' && step.outcome === 'exited');
      const texts = chat.messagesFor(conversationId).map((message) => message.text);
      const exit = askExits[0]?.exit;
      const expected = exit === 'answered' ? [QUESTION, THANKS] : [QUESTION, NO_ANSWER];
      const ok =
        run!.status === 'completed' &&
        askExits.length === 1 &&
        (exit === 'answered' || exit === 'timeout') &&
        JSON.stringify(texts) === JSON.stringify(expected) &&
        (exit === 'answered') === (run!.variables.rating !== undefined);
      if (!ok) {
        problems.push(
          `#${i} run ${runId}: ${run!.status}, ask exits ${JSON.stringify(askExits.map((s) => s.exit))}, messages ${JSON.stringify(texts)}`,
        );
      } else exits[exit] += 1;
    };

    let next = 0;
    await Promise.all(
      Array.from({ length: RACE_CONCURRENCY }, async () => {
        while (next < RACES) await race(next++);
      }),
    );
    console.log(
      `[faults] reply vs timeout ×${RACES}: answered ${exits.answered}, timeout ${exits.timeout}, wrong ${problems.length}; platform calls ${tally}`,
    );
    expect(problems).toEqual([]);
    expect(queueErrors).toEqual([]);
    // Both orders must have happened, or the race was never run.
    expect(exits.answered).toBeGreaterThan(0);
    expect(exits.timeout).toBeGreaterThan(0);
  });
});
