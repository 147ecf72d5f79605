import { z } from 'zod';
import type { ConnectionSummary } from '../contract/connections.ts';
import type { ValidationProblem } from '../contract/workflows.ts';
import { FailureAlerts } from '../workflow/failure-alerts.ts';

interface AlertSecretUse {
  /** Where in the workflow, e.g. `settings.alerts.destinations.0.urlSecretId`. */
  field: string;
  connectionId: string;
}

/** The secrets a workflow's failure alerts name; settings that do not parse are a problem of their own. */
export function alertSecretUses(workflow: unknown): AlertSecretUse[] {
  const parsed = z.object({ settings: z.object({ alerts: FailureAlerts.optional() }) }).safeParse(workflow);
  const destinations = parsed.success ? (parsed.data.settings.alerts?.destinations ?? []) : [];
  return destinations.map((destination, index) => {
    const at = `settings.alerts.destinations.${index}`;
    return destination.kind === 'slack'
      ? { field: `${at}.urlSecretId`, connectionId: destination.urlSecretId }
      : { field: `${at}.secretId`, connectionId: destination.secretId };
  });
}

/** A named secret that is missing or is not a secret: the alert could never be sent. */
export function alertSecretProblems(
  uses: AlertSecretUse[],
  byId: ReadonlyMap<string, ConnectionSummary>,
): ValidationProblem[] {
  return uses.flatMap(({ field, connectionId }) => {
    const connection = byId.get(connectionId);
    if (!connection) {
      return [
        {
          field,
          message: `Failure alerts name the secret "${connectionId}", which does not exist: add it (a connection of type "secret") or pick another in the workflow's settings.`,
        },
      ];
    }
    if (connection.type !== 'secret') {
      return [
        {
          field,
          message: `Failure alerts name "${connectionId}", a ${connection.type} connection: pick a connection of type "secret".`,
        },
      ];
    }
    return [];
  });
}
