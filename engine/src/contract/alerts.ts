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
