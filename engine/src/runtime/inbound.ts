import type { Redis } from 'ioredis';
import type { InboundMessage } from '../contract/events.ts';
import { AppError, notFound } from '../errors.ts';
import { SIGNATURE_WINDOW_S } from '../signing/webhook-signature.ts';
import type { InboxEntry } from './inbox.ts';
import type { RuntimeKeys } from './keys.ts';
import type { RunQueue } from './queue.ts';
import { runRecordScript } from './run-record.ts';
import type { RunState } from './run-state.ts';
import type { RunStore } from './run-store.ts';

const INBOUND_DEDUP_TTL_S = 7 * 86_400;
/** A replayed signed call is refused by its timestamp after the window; until then, by its digest. */
const REPLAY_DEDUP_TTL_S = 2 * SIGNATURE_WINDOW_S;
/** Only cleans up after a run that ended between routing a reply and filing it. */
const INBOX_TTL_S = 86_400;

const deliverOnce = runRecordScript('inbound-deliver-once');
const deliver = runRecordScript('inbound-deliver');

/**
 * Routes a contact's reply to a run. The rule:
 * - the run is an active run of that conversation with the same contact: preferably one waiting
 *   for a reply, else one executing a step that asks (the reply may answer a question whose wait
 *   is being recorded right now: it waits in the run's inbox for that wait);
 * - a step that asks only takes replies received after it started;
 * - any other reply (a second reply after the answer, a late reply after the timeout exit, a
 *   reply while the run waits on a delay or works on another step) reaches no run: null;
 * - the same `eventId` twice is delivered once and returns the same answer; a reply without one
 *   is deduplicated the same way by the digest of its signed bytes, for the signature window.
 */
export class InboundRouter {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RuntimeKeys,
    private readonly store: RunStore,
    private readonly queue: RunQueue,
    /** The hash whose fields are the published workflows (runs of others are found by their count). */
    private readonly publishedKey: string,
  ) {}

  /**
   * `askedIn`: the conversation a channel asked this contact's last question in, tried when the
   * message's own conversation has no run for it (a platform filed the reply under a new one).
   */
  async route(message: InboundMessage, signedDigest?: string, askedIn?: string | null): Promise<string | null> {
    const receivedAt = Date.now();
    let target = await this.targetIn(message.conversationId, message.contactId);
    if (!target && askedIn && askedIn !== message.conversationId) {
      target = await this.targetIn(askedIn, message.contactId);
    }
    const entry = JSON.stringify({ kind: 'reply', text: message.text, receivedAt } satisfies InboxEntry);
    const dedup =
      message.eventId !== undefined
        ? { key: this.keys.inboundEvent(message.eventId), ttl: INBOUND_DEDUP_TTL_S }
        : signedDigest !== undefined
          ? { key: this.keys.inboundEvent(`signed:${signedDigest}`), ttl: REPLAY_DEDUP_TTL_S }
          : undefined;
    if (dedup) {
      const { key } = dedup;
      // Marking the event and filing the reply are one step: a retry after a failure either
      // finds both done or neither.
      const result = await deliverOnce.run(
        this.redis,
        [key, target ? this.keys.inbox(target.id) : key, target ? this.keys.run(target.id) : key],
        [target?.id ?? '', dedup.ttl, entry, INBOX_TTL_S],
      );
      const [stored, needsJob] = Array.isArray(result) ? result : [];
      const runId = typeof stored === 'string' && stored !== '' ? stored : null;
      // A duplicate enqueues again too, in case the first delivery failed after filing the reply.
      if (runId && needsJob === 1) await this.queue.resume(runId);
      return runId;
    }
    if (!target) return null;
    const needsJob = await deliver.run(
      this.redis,
      [this.keys.inbox(target.id), this.keys.run(target.id)],
      [entry, INBOX_TTL_S],
    );
    if (needsJob === 1) await this.queue.resume(target.id);
    return target.id;
  }

  private async targetIn(conversationId: string, contactId: string): Promise<RunState | null> {
    const runs = await this.store.activeRunsOf(conversationId, this.publishedKey);
    return pickTarget(runs.filter((run) => !run.test && run.contactId === contactId));
  }

  /** The simulator's reply to a test run. */
  async replyToTestRun(runId: string, text: string): Promise<void> {
    const run = await this.store.get(runId);
    if (!run) throw notFound('Run', runId);
    if (!run.test) throw new AppError('NOT_A_TEST_RUN', runId);
    if (run.status !== 'waiting' && run.status !== 'running' && run.status !== 'queued') {
      throw new AppError('RUN_ENDED', { runId, status: run.status, next: 'start a new test run' });
    }
    const entry: InboxEntry = { kind: 'reply', text, receivedAt: Date.now() };
    await this.redis
      .multi()
      .rpush(this.keys.inbox(runId), JSON.stringify(entry))
      .expire(this.keys.inbox(runId), INBOX_TTL_S)
      .exec();
    await this.queue.resume(runId);
  }
}

function pickTarget(runs: RunState[]): RunState | null {
  const newest = (a: RunState, b: RunState) => b.updatedAt - a.updatedAt;
  const waiting = runs.filter((run) => run.status === 'waiting' && run.wait?.kind === 'reply').sort(newest);
  if (waiting[0]) return waiting[0];
  return runs.filter((run) => run.status === 'running' && run.inflight?.asks === true).sort(newest)[0] ?? null;
}
