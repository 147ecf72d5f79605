import { z } from 'zod';
import { FailureAlerts } from '../workflow/failure-alerts.ts';

/** `POST /api/workflows/:id/alerts/test`: the alert settings to try, as the editor holds them (saved or not). */
export const AlertTestRequest = z.object({ alerts: FailureAlerts });
export type AlertTestRequest = z.input<typeof AlertTestRequest>;

/** What each destination answered a test alert, in words, in the order of the settings. */
export const AlertTestResult = z.object({
  results: z.array(
    z.object({
      /** The destination in words: `Slack webhook (secret "…")` or `webhook https://…`. */
      destination: z.string(),
      ok: z.boolean(),
      detail: z.string(),
    }),
  ),
});
export type AlertTestResult = z.infer<typeof AlertTestResult>;

/**
 * The body a generic webhook destination receives (`kind: 'webhook'`), signed with
 * `X-Signature-256` like the channel webhook; the same request again (a retry) carries the same
 * `Idempotency-Key`.
 */
export const AlertPayload = z.object({
  /** `workflow.failures.test` for a test alert from the settings: `failures` is 0, `latest.runId` empty. */
  event: z.enum(['workflow.failures', 'workflow.failures.test']),
  workflow: z.object({ id: z.string(), name: z.string() }),
  /** Failures since the last alert (or since alerts began), the latest included. */
  failures: z.number().int(),
  /** When the last alert of this workflow went out (epoch ms); null for its first. */
  lastAlertAt: z.number().nullable(),
  latest: z.object({
    runId: z.string(),
    runUrl: z.string(),
    /** The step the run failed at or left by a failure exit, by its name when it has one; null: before any step. */
    step: z.object({ id: z.string(), name: z.string() }).nullable(),
    reason: z.string(),
    at: z.number(),
  }),
  /** The same sentence a Slack destination gets. */
  text: z.string(),
});
export type AlertPayload = z.infer<typeof AlertPayload>;
