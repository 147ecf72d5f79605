import type { AlertTestResult } from '../contract/alerts.ts';
import type { FailureAlerts } from '../workflow/failure-alerts.ts';
import type { AlertDelivery } from './failure-alert-delivery.ts';
import { runsUrl } from './failure-alert-message.ts';

/**
 * Sends a test alert to each destination of `alerts` (the settings being edited) and says what
 * each answered: how an operator learns a webhook works before a step fails. Nothing is recorded
 * and the quiet window is not touched.
 */
export async function sendTestAlert(
  delivery: AlertDelivery,
  workflow: { id: string; name: string },
  alerts: FailureAlerts,
  publicUrl: string,
  now = Date.now(),
): Promise<AlertTestResult> {
  const url = runsUrl(publicUrl, workflow.id);
  const facts = {
    workflow,
    count: 0,
    lastAlertAt: null,
    latest: { runId: '', workflowVersion: 0, nodeId: null, reason: 'test alert', at: now },
    stepName: null,
    runUrl: url,
    test: true,
  };
  const results = [];
  for (const destination of alerts.destinations) {
    const named = await delivery.describe(destination);
    try {
      await delivery.deliver(destination, facts);
      results.push({ destination: named, ok: true, detail: 'took the test alert' });
    } catch (error) {
      results.push({ destination: named, ok: false, detail: error instanceof Error ? error.message : String(error) });
    }
  }
  return { results };
}
