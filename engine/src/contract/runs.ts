import { z } from 'zod';

export const runStatuses = ['queued', 'running', 'waiting', 'completed', 'failed', 'cancelled'] as const;
export const RunStatus = z.enum(runStatuses);
export type RunStatus = z.infer<typeof RunStatus>;

/**
 * How an ended run went: `completed_with_failures` when some step left by a failure exit
 * (`failure`, `invalid`, `timeout`), wired to a next step or not; `failed` when the engine could
 * not route an error. Null while the run is active.
 */
export const runOutcomes = ['completed', 'completed_with_failures', 'failed', 'cancelled'] as const;
export const RunOutcome = z.enum(runOutcomes);
export type RunOutcome = z.infer<typeof RunOutcome>;

export const StepLogEntry = z.object({
  nodeId: z.string(),
  nodeType: z.string(),
  startedAt: z.number().describe('epoch ms'),
  durationMs: z.number(),
  /**
   * What the step did: left by an exit, paused, resumed then left, or failed. `retried` is no
   * execution: an operator retried the run from this step (`retriedBy`, at `startedAt`); the new
   * attempt's entries follow it.
   */
  outcome: z.enum(['exited', 'paused', 'failed', 'retried']),
  /** Who retried the run from this step (`retried` entries), as their editor named them; absent: not named. */
  retriedBy: z.string().optional(),
  exit: z.string().optional(),
  error: z.string().optional(),
  warnings: z.array(z.string()).optional(),
  note: z.string().optional(),
  /** What the step sent (an HTTP request, a row, a message), secrets masked, long values truncated. */
  sent: z.unknown().optional().describe('what the step sent, secrets masked, long values truncated'),
  /** What it got back (the response status and body, Google's answer, the contact's reply). */
  received: z.unknown().optional().describe('what the step received, secrets masked, long values truncated'),
});
export type StepLogEntry = z.infer<typeof StepLogEntry>;

export const TranscriptMessage = z.object({
  from: z.enum(['bot', 'contact']),
  text: z.string(),
  quickReplies: z.array(z.string()).optional(),
  at: z.number(),
});
export type TranscriptMessage = z.infer<typeof TranscriptMessage>;

export const RunSummary = z.object({
  id: z.string(),
  /** Started from the editor's simulator: runs the saved draft, sends nothing to the platform,
   * counts in no analytics. */
  test: z.boolean(),
  workflowId: z.string(),
  workflowVersion: z.number().int(),
  status: RunStatus,
  trigger: z.enum(['conversation.closed', 'shortcut']),
  conversationId: z.string(),
  contactId: z.string(),
  contactName: z.string().optional(),
  currentNodeId: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  endedAt: z.number().nullable(),
  outcome: RunOutcome.nullable(),
  /** The steps the run left by a failure exit, each once, in the order it first did. */
  failedSteps: z.array(z.string()),
  error: z.string().optional(),
});
export type RunSummary = z.infer<typeof RunSummary>;

export const RunDetail = RunSummary.extend({
  variables: z.record(z.string(), z.unknown()),
  steps: z.array(StepLogEntry),
  /** What the bot sent and the contact answered, in order. */
  transcript: z.array(TranscriptMessage),
  waitingFor: z.enum(['reply', 'delay']).nullable(),
});
export type RunDetail = z.infer<typeof RunDetail>;

export const RunQuery = z.object({
  workflowId: z.string().optional(),
  status: RunStatus.optional(),
  /** `any_failure`: `failed` or `completed_with_failures` (what `failuresLast24h` counts). */
  outcome: z.enum([...runOutcomes, 'any_failure']).optional(),
  /** Runs that failed at this step or left it by a failure exit. */
  nodeId: z.string().min(1).optional(),
  conversationId: z.string().optional(),
  /** Runs created at or after this time. */
  from: z.iso.datetime({ offset: true }).optional(),
  /** Runs created at or before this time. */
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  /** How many matching runs, newest first, come before the page. */
  offset: z.coerce.number().int().min(0).max(100_000).optional(),
});
export type RunQuery = z.infer<typeof RunQuery>;

/** A page of runs and how many match in all (`exact` false: at least that many, counting stopped). */
export const RunPage = z.object({
  runs: z.array(RunSummary),
  total: z.number().int(),
  exact: z.boolean(),
});
export type RunPage = z.infer<typeof RunPage>;

/** `POST /api/runs/:id/retry`: run an ended run again from a step it failed at or left by a failure exit. */
export const RunRetryRequest = z.object({
  nodeId: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('The step to retry from; default: the step the run failed at, else the last it left by a failure exit'),
});
export type RunRetryRequest = z.infer<typeof RunRetryRequest>;
/** The body of a retry may be left out (a bare `curl -X POST`): the default step. */
export const RunRetryBody = z.preprocess((body) => body ?? {}, RunRetryRequest);

/** Runs one bulk retry looks at at most; the answer says when more are left (`more`). */
export const BULK_RETRY_LIMIT = 1_000;

/** `POST /api/workflows/:id/runs/retry`: retry every ended published run that failed at `nodeId` or left it by a failure exit. */
export const BulkRetryRequest = z.object({
  nodeId: z.string().min(1).max(200),
  /** Runs created at or after this time. */
  from: z.iso.datetime({ offset: true }).optional(),
  /** Runs created at or before this time. */
  to: z.iso.datetime({ offset: true }).optional(),
});
export type BulkRetryRequest = z.infer<typeof BulkRetryRequest>;

export const BulkRetryResult = z.object({
  /** The runs retried: running again from the step. */
  retried: z.array(z.string()),
  /** Runs that failed at the step but were not retried, each with why. */
  skipped: z.array(z.object({ runId: z.string(), reason: z.string() })),
  /** At most this many runs are looked at per call. */
  limit: z.number().int(),
  /** Runs past the limit are left: send the same request again. */
  more: z.boolean(),
});
export type BulkRetryResult = z.infer<typeof BulkRetryResult>;

/** `POST /api/workflows/:id/simulate`: a test run of the saved draft for a made-up contact. */
export const SimulationRequest = z.object({
  trigger: z.enum(['conversation.closed', 'shortcut']).default('conversation.closed'),
  contact: z
    .object({ id: z.string().min(1).max(200), name: z.string().max(200).optional() })
    .default({ id: 'test-contact', name: 'Test Contact' }),
  conversation: z
    .object({
      id: z.string().min(1).max(200).optional(),
      channel: z.string().max(100).optional(),
      category: z.string().max(200).optional(),
    })
    .default({}),
  assignee: z.object({ id: z.string().min(1).max(200), name: z.string().max(200).optional() }).optional(),
});
export type SimulationRequest = z.input<typeof SimulationRequest>;

/** `POST /api/runs/:id/reply`: the simulator answering as the contact. */
export const RunReply = z.object({ text: z.string().max(10_000) });

/** What the simulator's start and reply answer: the test run they went to. */
export const RunAccepted = z.object({ runId: z.string() });

/** `POST /api/nodes/:type/test`: runs one step (the HTTP node's "send test request"). */
export const StepTestRequest = z.object({
  data: z.record(z.string(), z.unknown()),
  variables: z.record(z.string(), z.unknown()).default({}),
});
export const StepTestResult = z.object({
  exit: z.string().nullable(),
  variables: z.record(z.string(), z.unknown()),
  durationMs: z.number(),
  error: z.string().optional(),
});
export type StepTestResult = z.infer<typeof StepTestResult>;
