import { afterEach, describe, expect, it } from 'vitest';
import { closedEvent, signBody } from '../stand-ins/chat-platform.ts';
import { startCrm } from '../stand-ins/crm.ts';
import { spawnWorkerProcess } from '../support/processes.ts';
import { waitFor } from '../support/wait-for.ts';
import { Cleanup } from './support/cleanup.ts';
import { startCsatInstall } from './support/csat-install.ts';
import { THANKS } from './support/csat-workflow.ts';
import {
  acceptedPosts,
  countCrmPosts,
  StatusTally,
  sendEvents,
  startResponder,
  waitForRunsToEnd,
} from './support/load.ts';
import { startRedisServer } from './support/redis-server.ts';

/**
 * Redis (AOF, fsync on every write) crashes and comes back on the same port and data while events
 * and replies flow. The platform retries what was refused, as platforms do; every event and
 * reply the API accepted must then be found and finished. While Redis is down the API says 503
 * with Retry-After, within REDIS_UNAVAILABLE_TIMEOUT_MS.
 */

const RUNS = 300;
/** REDIS_UNAVAILABLE_TIMEOUT_MS of the API: how long a request waits for a Redis that is down. */
const UNAVAILABLE_TIMEOUT_MS = 1_000;
/** What answering may add to that wait: a behavioural bound, not a benchmark. */
const ANSWER_MARGIN_MS = 1_000;
/** Probing this long into the outage: ioredis's reconnect delays grow at each failed attempt,
 * and a command used to wait for the next ones (seconds, a few into an outage). */
const OUTAGE_PROBING_MS = 5_000;

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe('Redis restarted mid-load', () => {
  it('loses no accepted event or reply, answers 503 while down, and recovers by itself', async () => {
    const redis = cleanup.add('dedicated redis-server', await startRedisServer(), (r) => r.close());
    const crm = cleanup.add('CRM stand-in', await startCrm(), (c) => c.close());
    const { chat, product } = await startCsatInstall(cleanup, {
      crmUrl: crm.url,
      product: {
        worker: false,
        env: { REDIS_URL: redis.url, REDIS_UNAVAILABLE_TIMEOUT_MS: String(UNAVAILABLE_TIMEOUT_MS) },
      },
    });
    const worker = cleanup.add('worker', await spawnWorkerProcess(product.processEnv()), (w) => w.stop());

    const events = Array.from({ length: RUNS }, () => closedEvent());
    const contacts = new Map(events.map((event) => [event.conversation.id, event.contact.id]));
    const ratings = new Map(events.map((event, i) => [event.conversation.id, String(1 + (i % 5))]));
    const responder = cleanup.add(
      'responder',
      startResponder(
        chat,
        product.platform,
        (id) => ratings.get(id) ?? '3',
        (id) => contacts.get(id),
      ),
      (r) => r.stop(),
    );
    const tally = new StatusTally();
    // Twenty events at a time: when Redis dies, events, replies and steps are all on the wire.
    const sending = sendEvents(product.platform, events, tally, { concurrency: 20 });
    await waitFor(() => (tally.counts.get(202) ?? 0) >= RUNS * 0.4 && crm.received.length >= 20, {
      timeoutMs: 60_000,
      intervalMs: 5,
      what: 'events accepted and CRM POSTs',
    });

    await redis.kill();
    const probes = new StatusTally();
    const probe = async (call: () => Promise<Response>) => {
      const started = performance.now();
      const response = await call();
      const body = await response.text();
      probes.note(response.status);
      return {
        status: response.status,
        body,
        retryAfter: response.headers.get('retry-after'),
        ms: Math.round(performance.now() - started),
      };
    };
    const whileDown = await Promise.all([
      probe(() => fetch(`${product.url}/api/workflows`, { headers: { authorization: `Bearer ${product.apiKey}` } })),
      probe(() =>
        fetch(`${product.url}/api/runs?status=waiting`, { headers: { authorization: `Bearer ${product.apiKey}` } }),
      ),
      probe(() => {
        const body = JSON.stringify(closedEvent());
        return fetch(`${product.url}/api/events/conversation-closed`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-signature-256': signBody(body, product.webhookSecret) },
          body,
        });
      }),
      probe(() => fetch(`${product.url}/ready`)),
    ]);
    expect(whileDown.map((answer) => answer.status)).toEqual([503, 503, 503, 503]);
    expect(whileDown[0]!.body).toContain('UNAVAILABLE');
    // A request every 250 ms through the outage, each on its own: all answer 503 in time.
    const throughTheOutage = await Promise.all(
      Array.from({ length: OUTAGE_PROBING_MS / 250 }, async (_, i) => {
        await new Promise((resolve) => setTimeout(resolve, i * 250));
        return probe(() =>
          fetch(`${product.url}/api/workflows`, { headers: { authorization: `Bearer ${product.apiKey}` } }),
        );
      }),
    );
    const slowestWhileDown = Math.max(...[...whileDown, ...throughTheOutage].map((answer) => answer.ms));
    expect(throughTheOutage.filter((answer) => answer.status !== 503 || answer.retryAfter === null)).toEqual([]);
    expect(slowestWhileDown).toBeLessThan(UNAVAILABLE_TIMEOUT_MS + ANSWER_MARGIN_MS);

    await redis.restart();
    // Nothing restarts the API or the worker: they reconnect on their own.
    await waitFor(
      async () =>
        (await product.api('GET', '/api/workflows')).status === 200 && (await fetch(`${product.url}/ready`)).ok,
      { timeoutMs: 30_000, what: 'the API to answer 200 again' },
    );

    const { runIds, notAccepted } = await sending;
    const { runs, missing } = await waitForRunsToEnd(product.runtime.api, runIds.values(), { timeoutMs: 180_000 });
    await responder.stop();
    const counts = countCrmPosts(acceptedPosts(crm), runIds.keys());
    console.log(
      `[faults] Redis restart: events ${tally} (${notAccepted.length} ended without their run, ${missing.length} accepted with a run id that does not exist); replies ${responder.tally}; probes while down ${probes} (slowest ${slowestWhileDown} ms); ` +
        `CRM POSTs ${counts.posts} (once ${counts.postedOnce}, again same key ${counts.postedAgainWithSameKey}, ` +
        `again other key ${counts.postedAgainWithOtherKey}, never ${counts.neverPosted})`,
    );
    // One comparison, so a failure shows every kind of loss at once.
    const path = (runId: string) => {
      const run = runs.get(runId);
      return run
        ? `${run.status} via ${run.steps.map((step) => `${step.nodeId}:${step.exit ?? step.outcome}`).join(' > ')}${run.error ? ` (${run.error})` : ''}`
        : 'missing';
    };
    const posted = new Set(acceptedPosts(crm).map((post) => post.conversationId));
    expect({
      eventsEndedWithoutTheirRun: notAccepted,
      acceptedRunsThatDoNotExist: missing,
      serverErrors: [...tally.serverErrors(), ...responder.tally.serverErrors()],
      workerExited: worker.child.exitCode,
      runsNotThanked: [...runIds]
        .filter(
          ([conversationId, runId]) =>
            runs.has(runId) && !chat.messagesFor(conversationId).some((m) => m.text === THANKS),
        )
        .map(([, runId]) => `${runId}: ${path(runId)}`),
      wrongRatings: [...runIds]
        .filter(
          ([conversationId, runId]) =>
            runs.has(runId) && runs.get(runId)?.variables.rating !== Number(ratings.get(conversationId)),
        )
        .map(([, runId]) => `${runId}: ${JSON.stringify(runs.get(runId)?.variables.rating)}`),
      existingRunsNeverPostedToCrm: [...runIds]
        .filter(([conversationId, runId]) => runs.has(runId) && !posted.has(conversationId))
        .map(([, runId]) => `${runId}: ${path(runId)}`),
      postedAgainWithOtherKey: counts.postedAgainWithOtherKey,
    }).toEqual({
      eventsEndedWithoutTheirRun: [],
      acceptedRunsThatDoNotExist: [],
      serverErrors: [],
      workerExited: null,
      runsNotThanked: [],
      wrongRatings: [],
      existingRunsNeverPostedToCrm: [],
      postedAgainWithOtherKey: 0,
    });
  });
});
