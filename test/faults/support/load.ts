import { AppError, type ConversationClosedEvent, type RunDetail } from '@convoflow/engine';
import type { EngineApi } from '@convoflow/engine/server-only';
import type { ChatPlatform, PlatformClient, PlatformResponse } from '../../stand-ins/chat-platform.ts';
import type { CrmStandIn } from '../../stand-ins/crm.ts';
import { QUESTION } from './csat-workflow.ts';

/** Every answer the product gave to the platform's calls, by status (network errors as 0). */
export class StatusTally {
  readonly counts = new Map<number, number>();

  note(status: number): void {
    this.counts.set(status, (this.counts.get(status) ?? 0) + 1);
  }

  /** Statuses of 500 and above other than 503: what a Redis outage must never produce. */
  serverErrors(): number[] {
    return [...this.counts.keys()].filter((status) => status >= 500 && status !== 503);
  }

  toString(): string {
    return [...this.counts.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, count]) => `${status}×${count}`)
      .join(' ');
  }
}

/**
 * Sends a platform call the way a chat platform retries a webhook: again after a 5xx or a
 * connection error, with the same body (so the same event id), until it is accepted or refused
 * with a 4xx, or `timeoutMs` passes.
 */
export async function deliver(
  call: () => Promise<PlatformResponse>,
  tally: StatusTally,
  timeoutMs = 60_000,
): Promise<PlatformResponse> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let response: PlatformResponse | null = null;
    try {
      response = await call();
      tally.note(response.status);
    } catch {
      tally.note(0);
    }
    if (response && response.status < 500) return response;
    if (Date.now() > deadline) {
      throw new Error(`a platform call was still failing after ${timeoutMs} ms (answers so far: ${tally})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface SentEvents {
  /** The run id each accepted event created, by conversation id. */
  runIds: Map<string, string>;
  /** Events not accepted with exactly one run, each with what the API answered last. */
  notAccepted: string[];
}

/**
 * Sends each event (retried as a platform would) with at most `concurrency` in flight. Never
 * rejects: an event that ends without its one run is listed in `notAccepted`, for the test to assert.
 */
export async function sendEvents(
  platform: PlatformClient,
  events: readonly ConversationClosedEvent[],
  tally: StatusTally,
  options: { concurrency?: number } = {},
): Promise<SentEvents> {
  const runIds = new Map<string, string>();
  const notAccepted: string[] = [];
  let next = 0;
  const lane = async () => {
    while (next < events.length) {
      const event = events[next++]!;
      try {
        const response = await deliver(() => platform.sendConversationClosed(event), tally);
        const runId = acceptedRunId(response);
        if (runId) runIds.set(event.conversation.id, runId);
        else notAccepted.push(`${event.eventId}: HTTP ${response.status} ${JSON.stringify(response.body)}`);
      } catch (error) {
        notAccepted.push(`${event.eventId}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 20 }, lane));
  return { runIds, notAccepted };
}

function acceptedRunId(response: PlatformResponse): string | null {
  if (response.status !== 202) return null;
  const body = response.body;
  if (typeof body !== 'object' || body === null || !('runs' in body) || !Array.isArray(body.runs)) return null;
  const [runId] = body.runs;
  return typeof runId === 'string' && body.runs.length === 1 ? runId : null;
}

export interface Responder {
  /** Replies sent, accepted or not. */
  readonly sent: number;
  readonly tally: StatusTally;
  /** Stops answering and waits for the replies under way. */
  stop(): Promise<void>;
}

/**
 * The contacts: every question delivered to the chat stand-in is answered with
 * `answerFor(conversationId)`, each reply with its own event id (as a platform numbers
 * messages), retried like any platform call.
 */
export function startResponder(
  chat: ChatPlatform,
  platform: PlatformClient,
  answerFor: (conversationId: string) => string,
  contactOf: (conversationId: string) => string | undefined,
): Responder {
  const tally = new StatusTally();
  const inFlight = new Set<Promise<unknown>>();
  const questionsSeen = new Map<string, number>();
  let read = 0;
  let sent = 0;
  let stopped = false;

  const answerNew = () => {
    for (; read < chat.messages.length; read++) {
      const message = chat.messages[read]!;
      if (message.text !== QUESTION) continue;
      const contactId = contactOf(message.conversationId);
      if (!contactId) continue;
      const nth = (questionsSeen.get(message.conversationId) ?? 0) + 1;
      questionsSeen.set(message.conversationId, nth);
      sent += 1;
      const reply = deliver(
        () =>
          platform.sendReply({
            eventId: `reply-${message.conversationId}-${nth}`,
            conversationId: message.conversationId,
            contactId,
            text: answerFor(message.conversationId),
          }),
        tally,
      ).finally(() => inFlight.delete(reply));
      inFlight.add(reply);
    }
  };
  // The stand-in records messages in an array; reading it every few ms is the contact "looking at the phone".
  const timer = setInterval(() => {
    if (!stopped) answerNew();
  }, 5);

  return {
    get sent() {
      return sent;
    },
    tally,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await Promise.allSettled([...inFlight]);
    },
  };
}

const ended = new Set(['completed', 'failed', 'cancelled']);

export interface EndedRuns {
  /** Final details of the runs that ended. */
  runs: Map<string, RunDetail>;
  /** Run ids the API handed out that do not exist: accepted work the product lost. */
  missing: string[];
}

/**
 * Waits until every run has ended (or is found missing), reading only the ones still going at
 * each pass. On timeout, says how many are stuck, in which status and at which node.
 */
export async function waitForRunsToEnd(
  api: EngineApi,
  runIds: Iterable<string>,
  options: { timeoutMs: number },
): Promise<EndedRuns> {
  const pending = new Set(runIds);
  const runs = new Map<string, RunDetail>();
  const missing: string[] = [];
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const going = new Map<string, RunDetail>();
    for (const batch of chunks([...pending], 50)) {
      const details = await Promise.all(batch.map((id) => detailOrNull(api, id)));
      for (const [i, detail] of details.entries()) {
        if (detail === null) {
          missing.push(batch[i]!);
          pending.delete(batch[i]!);
        } else if (ended.has(detail.status)) {
          runs.set(detail.id, detail);
          pending.delete(detail.id);
        } else going.set(detail.id, detail);
      }
    }
    if (pending.size === 0) return { runs, missing };
    if (Date.now() > deadline) {
      const where = new Map<string, number>();
      for (const run of going.values()) {
        const key = `${run.status} at ${run.currentNodeId}`;
        where.set(key, (where.get(key) ?? 0) + 1);
      }
      throw new Error(
        `${pending.size} of ${runs.size + missing.length + pending.size} runs had not ended after ${options.timeoutMs} ms: ${[
          ...where,
        ]
          .map(([key, count]) => `${count} ${key}`)
          .join(', ')}${missing.length > 0 ? `; ${missing.length} missing` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function detailOrNull(api: EngineApi, runId: string): Promise<RunDetail | null> {
  try {
    return await api.runs.get(runId);
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') return null;
    throw error;
  }
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface CrmCounts {
  runs: number;
  posts: number;
  postedOnce: number;
  postedAgainWithSameKey: number;
  postedAgainWithOtherKey: number;
  neverPosted: number;
}

export interface CrmPost {
  conversationId: string;
  idempotencyKey: string | undefined;
}

/** The POSTs the CRM stand-in accepted, by the conversation id in their JSON body. */
export function acceptedPosts(crm: Pick<CrmStandIn, 'received'>): CrmPost[] {
  return crm.received.map((request) => {
    const body = request.body;
    const conversationId =
      typeof body === 'object' && body !== null && 'conversationId' in body ? String(body.conversationId) : '?';
    return { conversationId, idempotencyKey: request.idempotencyKey };
  });
}

/** POSTs per conversation, told apart by whether repeats carried the same Idempotency-Key. */
export function countCrmPosts(posts: readonly CrmPost[], conversationIds: Iterable<string>): CrmCounts {
  const keysByConversation = new Map<string, (string | undefined)[]>();
  for (const post of posts) {
    const keys = keysByConversation.get(post.conversationId) ?? [];
    keys.push(post.idempotencyKey);
    keysByConversation.set(post.conversationId, keys);
  }
  const counts: CrmCounts = {
    runs: 0,
    posts: posts.length,
    postedOnce: 0,
    postedAgainWithSameKey: 0,
    postedAgainWithOtherKey: 0,
    neverPosted: 0,
  };
  for (const conversationId of conversationIds) {
    counts.runs += 1;
    const keys = keysByConversation.get(conversationId) ?? [];
    if (keys.length === 0) counts.neverPosted += 1;
    else if (keys.length === 1) counts.postedOnce += 1;
    else if (keys[0] !== undefined && keys.every((key) => key === keys[0])) counts.postedAgainWithSameKey += 1;
    else counts.postedAgainWithOtherKey += 1;
  }
  return counts;
}
