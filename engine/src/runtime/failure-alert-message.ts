import type { AlertPayload } from '../contract/alerts.ts';
import type { RecordedFailure } from './failure-alert-record.ts';

/** What one alert says: built from the workflow's version, never from a connection's secrets. */
export interface AlertFacts {
  workflow: { id: string; name: string };
  /** Failures since the last alert (or since alerts began), this one included. */
  count: number;
  /** When the last alert of this workflow went out; null for its first. */
  lastAlertAt: number | null;
  latest: RecordedFailure;
  /** The failed step's name when it has one, else its id; null when the run failed before any step. */
  stepName: string | null;
  /** The run's page in the editor (for a test alert, the workflow's runs). */
  runUrl: string;
  /** Sent from the settings to try the destinations: no run failed. */
  test?: boolean;
}

/** One alert in words: the count, the step, the reason, the link. */
export function alertText(facts: AlertFacts): string {
  const { workflow, count, latest, stepName, runUrl } = facts;
  if (facts.test) {
    return `Test alert for workflow "${workflow.name}": failure alerts reach this destination. A failed step will be named here with the reason and a link to its run.\nRuns: ${runUrl}`;
  }
  const what = stepName === null ? 'the run failed' : `step "${stepName}" failed`;
  const head =
    count === 1
      ? `Workflow "${workflow.name}": ${what}: ${latest.reason}`
      : `Workflow "${workflow.name}": ${count} failures${facts.lastAlertAt === null ? '' : ' since the last alert'}. Latest: ${what}: ${latest.reason}`;
  return `${head}\nRun: ${runUrl}`;
}

/**
 * The alert as a Slack message: `&`, `<` and `>` escaped as Slack asks, so a reason quoting a
 * contact's reply or a server's answer cannot mention `<!channel>` or disguise a link
 * (`<https://…|label>`) in the operators' channel. Slack still links the bare run URL.
 */
export function slackText(facts: AlertFacts): string {
  return alertText(facts).replace(/[&<>]/g, (char) => slackEscapes[char] ?? char);
}

const slackEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

export function alertPayload(facts: AlertFacts): AlertPayload {
  const { latest } = facts;
  return {
    event: facts.test ? 'workflow.failures.test' : 'workflow.failures',
    workflow: facts.workflow,
    failures: facts.count,
    lastAlertAt: facts.lastAlertAt,
    latest: {
      runId: latest.runId,
      runUrl: facts.runUrl,
      step: latest.nodeId === null ? null : { id: latest.nodeId, name: facts.stepName ?? latest.nodeId },
      reason: latest.reason,
      at: latest.at,
    },
    text: alertText(facts),
  };
}

/** The workflow's runs in the editor (`#/workflows/:id/runs`): where a test alert points. */
export function runsUrl(publicUrl: string, workflowId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/#/workflows/${encodeURIComponent(workflowId)}/runs`;
}

/** The editor's page of a run (`#/workflows/:id/runs/:runId`, see editor/src/app/route.ts) under the public address. */
export function runUrl(publicUrl: string, workflowId: string, runId: string): string {
  const base = publicUrl.replace(/\/+$/, '');
  return `${base}/#/workflows/${encodeURIComponent(workflowId)}/runs/${encodeURIComponent(runId)}`;
}
