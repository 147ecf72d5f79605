import type { RunDetail } from '@convoflow/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { closedEvent } from '../stand-ins/chat-platform.ts';
import { type CrmStandIn, startCrm } from '../stand-ins/crm.ts';
import type { Product } from '../support/product.ts';
import { Cleanup } from './support/cleanup.ts';
import { startCsatInstall } from './support/csat-install.ts';
import { CRM_DOWN, THANKS } from './support/csat-workflow.ts';
import { StatusTally, sendEvents, startResponder, waitForRunsToEnd } from './support/load.ts';

/** The CRM fails: the HTTP step retries with backoff, then either completes or leaves by `failure`. */

const RETRIES = 3;
/** The least the step's backoff waits before its attempts 2, 3 and 4 (half of 300, 600, 1200 ms). */
const MIN_BACKOFF_MS = [150, 300, 600];

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

async function stack() {
  const crm = cleanup.add('CRM stand-in', await startCrm(), (c) => c.close());
  const { chat, product } = await startCsatInstall(cleanup, { crmUrl: crm.url, retries: RETRIES });
  return { chat, crm, product };
}

/** Runs one survey per event to its end, the contact answering 4 each time. */
async function survey(product: Product, chat: Awaited<ReturnType<typeof stack>>['chat'], count: number) {
  const events = Array.from({ length: count }, () => closedEvent());
  const contacts = new Map(events.map((event) => [event.conversation.id, event.contact.id]));
  const responder = cleanup.add(
    'responder',
    startResponder(
      chat,
      product.platform,
      () => '4',
      (id) => contacts.get(id),
    ),
    (r) => r.stop(),
  );
  const { runIds, notAccepted } = await sendEvents(product.platform, events, new StatusTally());
  expect(notAccepted).toEqual([]);
  const { runs, missing } = await waitForRunsToEnd(product.runtime.api, runIds.values(), { timeoutMs: 60_000 });
  expect(missing).toEqual([]);
  await responder.stop();
  return { runIds, runs };
}

function crmStep(run: RunDetail) {
  const steps = run.steps.filter((step) => step.nodeId === 'crm');
  expect(steps).toHaveLength(1);
  return steps[0]!;
}

function attemptsFor(crm: CrmStandIn, conversationId: string) {
  return crm.attempts.filter(
    (request) =>
      typeof request.body === 'object' &&
      request.body !== null &&
      'conversationId' in request.body &&
      request.body.conversationId === conversationId,
  );
}

describe('a CRM answering 500s', () => {
  it('is retried with backoff under one Idempotency-Key until it recovers, and the run completes', async () => {
    const { chat, crm, product } = await stack();
    crm.failNext(RETRIES, 500);
    const { runIds, runs } = await survey(product, chat, 1);
    const [conversationId, runId] = [...runIds][0]!;
    const run = runs.get(runId)!;

    expect(run.status).toBe('completed');
    const step = crmStep(run);
    expect(step).toMatchObject({ outcome: 'exited', exit: 'success' });
    expect(step.note).toContain(`HTTP 201 after ${RETRIES + 1} attempts`);
    expect(step.durationMs).toBeGreaterThanOrEqual(MIN_BACKOFF_MS.reduce((sum, ms) => sum + ms, 0));
    expect(run.variables.crm).toMatchObject({ status: 201 });
    const attempts = attemptsFor(crm, conversationId);
    expect(attempts).toHaveLength(RETRIES + 1);
    expect(new Set(attempts.map((attempt) => attempt.idempotencyKey)).size).toBe(1);
    expect(crm.received).toHaveLength(1);
    expect(chat.messagesFor(conversationId).map((message) => message.text)).toContain(THANKS);
  });

  it('honours 429 Retry-After, and many runs hitting a flapping CRM all complete', async () => {
    const { chat, crm, product } = await stack();
    crm.failNext(2, 429, { retryAfterSeconds: 1 });
    const { runIds, runs } = await survey(product, chat, 1);
    const step = crmStep(runs.get([...runIds.values()][0]!)!);
    expect(step).toMatchObject({ outcome: 'exited', exit: 'success' });
    expect(step.durationMs).toBeGreaterThanOrEqual(2_000);

    // Fewer failures than one run's retries: whichever runs they land on, every run gets through.
    crm.failNext(RETRIES, 503);
    const many = await survey(product, chat, 30);
    for (const run of many.runs.values()) {
      expect(run.status).toBe('completed');
      expect(crmStep(run)).toMatchObject({ outcome: 'exited', exit: 'success' });
    }
  });

  it('sends the run down `failure` after the retries when the CRM stays down, with the error in the step log', async () => {
    const { chat, crm, product } = await stack();
    crm.failNext(1_000, 500);
    const { runIds, runs } = await survey(product, chat, 5);
    for (const [conversationId, runId] of runIds) {
      const run = runs.get(runId)!;
      expect(run.status).toBe('completed');
      const step = crmStep(run);
      expect(step).toMatchObject({ outcome: 'exited', exit: 'failure' });
      expect(step.note).toMatch(
        new RegExp(`POST http://127\\.0\\.0\\.1:\\d+/api/csat → HTTP 500 after ${RETRIES + 1} attempts`),
      );
      expect(run.variables.crm).toMatchObject({ status: 500, body: { error: 'internal error' } });
      expect(run.steps.map((entry) => entry.nodeId)).toEqual(['start', 'ask', 'ask', 'crm', 'crmDown']);
      expect(attemptsFor(crm, conversationId)).toHaveLength(RETRIES + 1);
      const texts = chat.messagesFor(conversationId).map((message) => message.text);
      expect(texts).toContain(CRM_DOWN);
      expect(texts).not.toContain(THANKS);
    }
    expect(crm.received).toHaveLength(0);
  });
});
