import type { RunDetail, RunOutcome, RunStatus } from '@convoflow/engine';
import './ui.css';
import './StatusBadge.css';

/** Each run status in a word, as the badge and the status filter show it. */
export const runStatusLabels: Record<RunStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  waiting: 'Waiting',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** How an ended run went, as the badge and the outcome filter show it. */
export const runOutcomeLabels: Record<RunOutcome, string> = {
  completed: 'Completed',
  completed_with_failures: 'Completed with failures',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/**
 * A run's status as a coloured pill; an ended run's `outcome` tells "Completed with failures"
 * (amber) from "Completed". `label` overrides the text (e.g. "Waiting for reply").
 */
export function StatusBadge({
  status,
  outcome = null,
  label,
}: {
  status: RunStatus;
  outcome?: RunOutcome | null;
  label?: string;
}) {
  const tone = outcome ?? status;
  return (
    <span
      className={`cf-badge cf-badge--${tone}`}
      data-testid="run-status"
      data-status={status}
      {...(outcome ? { 'data-outcome': outcome } : {})}
    >
      {label ?? (outcome ? runOutcomeLabels[outcome] : runStatusLabels[status])}
    </span>
  );
}

/** Whether a run in this status will not change any more. */
export function isEnded(status: RunStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}

/** The status as a sentence for a live view: says what the run is waiting for, or how it ended. */
export function describeStatus(run: Pick<RunDetail, 'status' | 'waitingFor' | 'outcome'>): string {
  switch (run.status) {
    case 'queued':
      return 'Starting…';
    case 'running':
      return 'Running…';
    case 'waiting':
      return run.waitingFor === 'delay' ? 'Waiting for a delay to pass' : 'Waiting for the contact’s reply';
    default:
      return runOutcomeLabels[run.outcome ?? run.status];
  }
}
