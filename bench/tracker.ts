import { performance } from 'node:perf_hooks';

/** One full run as the bench sees it from outside: monotonic times (ms) of each hop. */
export interface TrackedRun {
  index: number;
  eventId: string;
  conversationId: string;
  contactId: string;
  sentAt: number;
  /** 202 received for the event. */
  acceptedAt?: number;
  /** The question reached the chat-platform stand-in. */
  questionAt?: number;
  replySentAt?: number;
  /** 202 received for the reply. */
  replyAcceptedAt?: number;
  /** The CRM stand-in received the POST: the run is complete for the bench. */
  crmAt?: number;
  crmPosts: number;
  /** Idempotency-Key of each CRM POST received for the run. */
  crmKeys: string[];
  error?: string;
}

export interface TrackerCounts {
  /** Messages or CRM POSTs naming a conversation this measurement did not start. */
  strangers: number;
  /** CRM POSTs beyond the first for a run (a step executed again). */
  duplicateCrmPosts: number;
  /** Of those, the ones carrying the first POST's Idempotency-Key (a receiver honouring keys absorbs them). */
  duplicatesWithSameKey: number;
  /** Outbound messages refused for a bad signature or shape. */
  rejectedMessages: number;
  /** Questions asked again for the same run. */
  repeatedQuestions: number;
}

/**
 * Follows the runs of one measurement by conversation id (unique per run), so every stand-in
 * can attribute what it receives. `finished` of a run settles once, on its CRM POST or error.
 */
export class RunTracker {
  readonly runs: TrackedRun[] = [];
  readonly counts: TrackerCounts = {
    strangers: 0,
    duplicateCrmPosts: 0,
    duplicatesWithSameKey: 0,
    rejectedMessages: 0,
    repeatedQuestions: 0,
  };
  private readonly byConversation = new Map<string, TrackedRun>();
  private readonly settle = new Map<TrackedRun, () => void>();
  constructor(readonly tag: string) {}

  /** A new run, and a promise settled when it completes or fails. */
  start(index: number): { run: TrackedRun; finished: Promise<void> } {
    const id = `${this.tag}-${index}`;
    const run: TrackedRun = {
      index,
      eventId: `evt-${id}`,
      conversationId: `conv-${id}`,
      contactId: `contact-${id}`,
      sentAt: now(),
      crmPosts: 0,
      crmKeys: [],
    };
    this.runs.push(run);
    this.byConversation.set(run.conversationId, run);
    const finished = new Promise<void>((resolve) => this.settle.set(run, resolve));
    return { run, finished };
  }

  fail(run: TrackedRun, error: string): void {
    run.error ??= error;
    this.finish(run);
  }

  /** The run whose question just arrived, or undefined for a stranger or a repeated question. */
  question(conversationId: string): TrackedRun | undefined {
    const run = this.byConversation.get(conversationId);
    if (!run) return void this.counts.strangers++;
    if (run.questionAt !== undefined) return void this.counts.repeatedQuestions++;
    run.questionAt = now();
    return run;
  }

  crmPost(conversationId: string, idempotencyKey: string): void {
    const run = this.byConversation.get(conversationId);
    if (!run) return void this.counts.strangers++;
    run.crmPosts += 1;
    run.crmKeys.push(idempotencyKey);
    if (run.crmPosts > 1) {
      this.counts.duplicateCrmPosts++;
      if (idempotencyKey === run.crmKeys[0]) this.counts.duplicatesWithSameKey++;
      return;
    }
    run.crmAt = now();
    this.finish(run);
  }

  rejected(): void {
    this.counts.rejectedMessages++;
  }

  /** Marks every run not finished yet as failed with `reason`. */
  expire(reason: string): void {
    for (const run of this.runs) if (run.crmAt === undefined && run.error === undefined) this.fail(run, reason);
  }

  private finish(run: TrackedRun): void {
    const settle = this.settle.get(run);
    this.settle.delete(run);
    settle?.();
  }
}

export const now = () => performance.now();
