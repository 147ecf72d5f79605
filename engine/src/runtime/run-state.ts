import { z } from 'zod';
import { RunStatus } from '../contract/runs.ts';
import { ChannelBinding } from '../sdk/channel-adapter.ts';
import type { Json } from '../sdk/runner.ts';

const JsonValue: z.ZodType<Json> = z.json();

/** What a paused run waits for. `seq` names this one wait: a timeout or reply for an older wait is stale. */
export const RunWait = z.object({
  kind: z.enum(['reply', 'delay']),
  nodeId: z.string(),
  seq: z.number().int(),
  /** Epoch ms when the deadline job fires; null for a reply wait without time limit. */
  deadline: z.number().nullable(),
  askedAt: z.number(),
});
export type RunWait = z.infer<typeof RunWait>;

/** The event a resumed step is handling, stored so a re-execution after a crash replays the same one. */
export const StoredResume = z.union([
  z.object({ kind: z.literal('reply'), text: z.string(), receivedAt: z.number() }),
  z.object({ kind: z.literal('deadline') }),
  // Written as "timeout" by releases before 'deadline': a record mid-step at the upgrade still replays.
  z.object({ kind: z.literal('timeout') }).transform(() => ({ kind: 'deadline' as const })),
]);
export type StoredResume = z.infer<typeof StoredResume>;

/**
 * The step at the run's position, between "started" and its recorded outcome. Found with
 * `started` when a job picks the run up, it means the previous execution died mid-step
 * (so the step may have had side effects).
 */
export const InflightStep = z.object({
  nodeId: z.string(),
  startedAt: z.number(),
  resume: StoredResume.optional(),
  /** The step can wait for a reply: a reply arriving now may answer it (see `inbound.ts`). */
  asks: z.boolean().optional(),
  /** An execution began and recorded no outcome yet; false when the step is about to begin or
   * its last execution failed retryably (that failure is in the log). */
  started: z.boolean(),
});
export type InflightStep = z.infer<typeof InflightStep>;

/** The run's state, stored as the first line of its record (`run-record.ts`), before its step log and transcript. */
export const RunState = z.object({
  id: z.string(),
  test: z.boolean(),
  workflowId: z.string(),
  workflowVersion: z.number().int(),
  trigger: z.enum(['conversation.closed', 'shortcut']),
  conversationId: z.string(),
  contactId: z.string(),
  contactName: z.string().optional(),
  status: RunStatus,
  currentNodeId: z.string().nullable().default(null),
  createdAt: z.number(),
  updatedAt: z.number(),
  endedAt: z.number().nullable().default(null),
  error: z.string().optional(),
  scope: z.record(z.string(), JsonValue),
  /** Times each node was entered: the "attempt family" of idempotency keys. */
  visits: z.record(z.string(), z.number().int()),
  wait: RunWait.nullable().default(null),
  /** Bumped at every pause. */
  waitSeq: z.number().int(),
  /** The current node's own state, saved with its last pause. */
  nodeState: JsonValue.nullable().default(null),
  inflight: InflightStep.nullable().default(null),
  /** The steps the run left by a failure exit (`run-outcome.ts`), each once; absent: none. */
  failedSteps: z.array(z.string()).optional(),
  /** The channel connection the run came through; absent: the generic contract (`CHANNEL_WEBHOOK_URL`). */
  channel: ChannelBinding.optional(),
});
export type RunState = z.infer<typeof RunState>;

export const finalStatuses: ReadonlySet<RunStatus> = new Set(['completed', 'failed', 'cancelled']);
