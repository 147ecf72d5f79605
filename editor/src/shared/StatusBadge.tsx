import type { RunDetail, RunStatus } from '@convoflow/engine';
import './ui.css';

/** Each run status in a word, as the badge and the status filter show it. */
export const runStatusLabels: Record<RunStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  waiting: 'Waiting',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** A run's status as a coloured pill. `label` overrides the text (e.g. "Waiting for reply"). */
export function StatusBadge({ status, label }: { status: RunStatus; label?: string }) {
  return (
    <span className={`cf-badge cf-badge--${status}`} data-testid="run-status" data-status={status}>
      {label ?? runStatusLabels[status]}
    </span>
  );
}

/** Whether a run in this status will not change any more. */
export function isEnded(status: RunStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}

/** The status as a sentence for a live view: says what the run is waiting for. */
export function describeStatus(run: Pick<RunDetail, 'status' | 'waitingFor'>): string {
  switch (run.status) {
    case 'queued':
      return 'Starting…';
    case 'running':
      return 'Running…';
    case 'waiting':
      return run.waitingFor === 'delay' ? 'Waiting for a delay to pass' : 'Waiting for the contact’s reply';
    case 'completed':
      return 'Completed';
    case 'failed':
      return 'Failed';
    case 'cancelled':
      return 'Cancelled';
  }
}
