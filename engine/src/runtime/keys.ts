/**
 * The builders of every Redis key the run runtime writes, under the install's prefix. What each
 * holds and how long it lives, with the stores' keys: the key map in README.md.
 */
export function runtimeKeys(prefix: string) {
  return {
    /** The run's record: its state, then its step log and transcript interleaved (`run-record.ts`). */
    run: (runId: string) => `${prefix}run:${runId}`,
    /** Replies received for a run and not yet consumed by one of its waits. */
    inbox: (runId: string) => `${prefix}run:${runId}:inbox`,
    /** The draft a test run executes (published runs read their pinned version instead). */
    snapshot: (runId: string) => `${prefix}run:${runId}:workflow`,
    lock: (runId: string) => `${prefix}run:${runId}:lock`,
    /** Sorted set of a workflow's run ids by creation time (history, `runsLast24h`). */
    workflowRuns: (workflowId: string) => `${prefix}runs:wf:${workflowId}`,
    /** Set of the workflow ids that have such an index: listing all runs merges them. */
    indexedWorkflows: () => `${prefix}runs:wfs`,
    /** Sorted set of wait deadlines, `runId|waitSeq` by epoch ms (see `timers.ts`). */
    timers: () => `${prefix}timers`,
    /** Set of run ids paused for a reply or a delay (the waiting-runs gauge). */
    waiting: () => `${prefix}runs:waiting`,
    /** Sorted set of queued and running run ids by their last write: where the requeue sweep
     * looks for runs left without a job (`run-requeuer.ts`). A waiting or ended run is not in it. */
    moving: () => `${prefix}runs:moving`,
    /** Held by the worker sweeping for runs left without a job, so one worker of the fleet sweeps at a time. */
    requeueSweep: () => `${prefix}runs:requeue-sweep`,
    /** Claims that enforce enrolment rules; each holds the id of the run that took it. The
     * active claim doubles as the index inbound replies use to find a conversation's runs. */
    activeClaim: (workflowId: string, conversationId: string) =>
      `${prefix}claim:active:${workflowId}:${conversationId}`,
    onceClaim: (workflowId: string, contactId: string) => `${prefix}claim:once:${workflowId}:${contactId}`,
    afterClaim: (workflowId: string, contactId: string) => `${prefix}claim:after:${workflowId}:${contactId}`,
    event: (eventId: string) => `${prefix}event:${eventId}`,
    inboundEvent: (eventId: string) => `${prefix}inbound:${eventId}`,
    /** Set once every workflow's active runs were counted from the claims (`active-run-census.ts`). */
    activeRunCensus: () => `${prefix}wf:active-runs:census`,
    /** Held by the process taking that census. */
    activeRunCensusLock: () => `${prefix}wf:active-runs:census:lock`,
    /** The options of the last question sent to a contact on a channel connection, to read a tap back (`channel-memory.ts`). */
    channelAsked: (connectionId: string, contact: string) => `${prefix}chan:${connectionId}:asked:${contact}`,
    /** When a contact last wrote on a channel connection (WhatsApp's 24-hour window). */
    channelSeen: (connectionId: string, contact: string) => `${prefix}chan:${connectionId}:seen:${contact}`,
    /** Set while we resolve a conversation ourselves: the platform's "resolved" call that follows starts no survey. */
    channelResolved: (connectionId: string, conversation: string) =>
      `${prefix}chan:${connectionId}:resolved:${conversation}`,
    /** A message sent through a channel by the platform's id for it, kept a while so a late refusal can send it again once. */
    channelMessage: (connectionId: string, messageId: string) => `${prefix}chan:${connectionId}:message:${messageId}`,
    /** Set once a message went out through a channel: a re-executed step does not send it again. */
    channelSent: (idempotencyKey: string) => `${prefix}chan:sent:${idempotencyKey}`,
    /** BullMQ's own key prefix (queue names may not contain ":"). */
    bullPrefix: () => `${prefix}bull`,
  };
}
export type RuntimeKeys = ReturnType<typeof runtimeKeys>;
