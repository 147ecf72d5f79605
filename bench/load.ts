import type { ApiClient } from './api-client.ts';
import { field } from './stand-ins.ts';
import { type Percentiles, percentiles, round } from './stats.ts';
import { now, type RunTracker, type TrackedRun, type TrackerCounts } from './tracker.ts';

/** Open loop at a target rate, or as fast as a bounded number of runs in flight allows. */
export type LoadShape = { kind: 'rate'; perSecond: number } | { kind: 'max'; concurrency: number };

export interface LoadFigures {
  shape: LoadShape;
  runs: number;
  completed: number;
  /** Non-2xx answers, refused messages, runs not completed by the deadline, duplicate CRM POSTs. */
  errors: number;
  errorSamples: string[];
  elapsedS: number;
  runsPerSecond: number;
  /** Event accepted (202 received) → question delivered at the chat stand-in. */
  eventToQuestionMs: Percentiles;
  /** Reply accepted (202 received) → CRM POST received. */
  replyToCrmMs: Percentiles;
  /** Event sent → CRM POST received. */
  fullRunMs: Percentiles;
  /** Questions that reached the stand-in before the event's 202 did (counted as 0 ms above). */
  questionsBeforeAccepted: number;
  counts: TrackerCounts;
}

/**
 * Sends `count` conversation-closed events shaped by `shape`, each completing when the CRM
 * stand-in receives its POST (the chat stand-in answers the question meanwhile). Bounded: no
 * new run starts after `timeLimitMs`, and each run gets `runDeadlineMs` to complete.
 */
export async function drive(
  api: ApiClient,
  tracker: RunTracker,
  options: { count: number; shape: LoadShape; timeLimitMs: number; runDeadlineMs: number },
): Promise<LoadFigures> {
  const { count, shape, runDeadlineMs } = options;
  const startedAt = now();
  const stopStartingAt = startedAt + options.timeLimitMs;
  const launch = (index: number): Promise<void> => {
    const { run, finished } = tracker.start(index);
    sendEvent(api, tracker, run);
    return withDeadline(finished, runDeadlineMs, () => tracker.fail(run, `not completed within ${runDeadlineMs} ms`));
  };

  if (shape.kind === 'max') {
    let next = 0;
    const slot = async () => {
      while (next < count && now() < stopStartingAt) await launch(next++);
    };
    await Promise.all(Array.from({ length: shape.concurrency }, slot));
  } else {
    const pending: Promise<void>[] = [];
    await new Promise<void>((resolve) => {
      const tick = () => {
        const due = Math.min(count, Math.floor(((now() - startedAt) * shape.perSecond) / 1000) + 1);
        while (pending.length < due) pending.push(launch(pending.length));
        if (pending.length >= count || now() >= stopStartingAt) resolve();
        else setTimeout(tick, 1);
      };
      tick();
    });
    await Promise.all(pending);
  }
  return figures(tracker, shape, startedAt);
}

function sendEvent(api: ApiClient, tracker: RunTracker, run: TrackedRun): void {
  const event = {
    eventId: run.eventId,
    conversation: { id: run.conversationId, channel: 'whatsapp', closedBy: 'agent' },
    contact: { id: run.contactId, name: 'Ada Lovelace', phone: '+15550100' },
    assignee: { id: 'agent-1', name: 'Grace Hopper' },
  };
  api.signed('/api/events/conversation-closed', event).then(
    (response) => {
      run.acceptedAt = now();
      const runs = field(response.body, 'runs');
      if (response.status !== 202)
        tracker.fail(run, `event answered HTTP ${response.status}: ${JSON.stringify(response.body)}`);
      else if (!Array.isArray(runs) || runs.length !== 1)
        tracker.fail(run, `event enrolled ${JSON.stringify(runs)} (expected one run)`);
    },
    (error: unknown) => tracker.fail(run, `event failed: ${String(error)}`),
  );
}

function withDeadline(promise: Promise<void>, ms: number, onMissed: () => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      onMissed();
      resolve();
    }, ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

function figures(tracker: RunTracker, shape: LoadShape, startedAt: number): LoadFigures {
  const runs = tracker.runs;
  const completed = runs.filter((run) => run.crmAt !== undefined && run.error === undefined);
  const lastCompletion = Math.max(startedAt, ...completed.map((run) => run.crmAt ?? startedAt));
  const elapsedS = (lastCompletion - startedAt) / 1000;
  const failed = runs.filter((run) => run.error !== undefined);
  const { duplicateCrmPosts, rejectedMessages, repeatedQuestions, strangers } = tracker.counts;
  const duplicated = runs.filter((run) => run.crmPosts > 1);
  const eventToQuestion: number[] = [];
  let questionsBeforeAccepted = 0;
  for (const run of completed) {
    if (run.acceptedAt === undefined || run.questionAt === undefined) continue;
    const ms = run.questionAt - run.acceptedAt;
    if (ms < 0) questionsBeforeAccepted++;
    eventToQuestion.push(Math.max(0, ms));
  }
  const replyToCrm = completed.flatMap((run) =>
    run.replyAcceptedAt !== undefined && run.crmAt !== undefined ? [Math.max(0, run.crmAt - run.replyAcceptedAt)] : [],
  );
  return {
    shape,
    runs: runs.length,
    completed: completed.length,
    errors: failed.length + duplicateCrmPosts + rejectedMessages + repeatedQuestions + strangers,
    errorSamples: [
      ...new Set(failed.map((run) => run.error ?? '')),
      ...duplicated
        .slice(0, 2)
        .map((run) => `${run.crmPosts} CRM POSTs for ${run.conversationId}, keys ${run.crmKeys.join(', ')}`),
    ].slice(0, 6),
    elapsedS: round(elapsedS, 2),
    runsPerSecond: elapsedS > 0 ? round(completed.length / elapsedS) : 0,
    eventToQuestionMs: percentiles(eventToQuestion),
    replyToCrmMs: percentiles(replyToCrm),
    fullRunMs: percentiles(completed.map((run) => (run.crmAt ?? 0) - run.sentAt)),
    questionsBeforeAccepted,
    counts: tracker.counts,
  };
}
