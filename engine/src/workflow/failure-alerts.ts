import { z } from 'zod';

/** The id of a stored connection (see `contract/connections.ts`): alerts name secrets by it. */
const SecretId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'pick a stored secret');

/**
 * Where a workflow's failure alerts go. A Slack incoming-webhook URL is itself a credential, so
 * the workflow names a stored secret holding it (`urlSecretId`) rather than the URL. A generic
 * webhook's URL is not secret; its body is signed with the secret `secretId` names, the way the
 * engine signs its channel webhook (`X-Signature-256`).
 */
export const AlertDestination = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('slack'), urlSecretId: SecretId }),
  z.object({
    kind: z.literal('webhook'),
    url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
    secretId: SecretId,
  }),
]);
export type AlertDestination = z.infer<typeof AlertDestination>;

export const DEFAULT_QUIET_MINUTES = 15;

/**
 * `settings.alerts`: a step of a published run that fails sends an alert to each destination,
 * at most one per `quietMinutes`; the next one counts the failures in between. No destination
 * means no alerts.
 */
export const FailureAlerts = z.object({
  destinations: z.array(AlertDestination).max(5, 'at most 5 destinations').default([]),
  quietMinutes: z
    .number()
    .int()
    .min(1, 'at least 1 minute')
    .max(1440, 'at most 1440 minutes (a day)')
    .default(DEFAULT_QUIET_MINUTES),
});
export type FailureAlerts = z.infer<typeof FailureAlerts>;
