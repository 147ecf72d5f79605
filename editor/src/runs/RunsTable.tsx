import type { RunSummary } from '@convoflow/engine';
import { formatDuration } from '../shared/format.ts';
import { RelativeTime } from '../shared/RelativeTime.tsx';
import { StatusBadge } from '../shared/StatusBadge.tsx';
import '../shared/ui.css';
import './runs.css';

export interface RunsTableProps {
  runs: readonly RunSummary[];
  /** Current time (epoch ms): runs in progress show how long they have been going. */
  now: number;
  /** Adds a Workflow column (when the list spans workflows). */
  showWorkflow?: boolean;
  onOpenRun: (runId: string) => void;
}

/** Runs as table rows; a row (or its contact button, for keyboards) opens the run. */
export function RunsTable({ runs, now, showWorkflow = false, onOpenRun }: RunsTableProps) {
  return (
    <table className="cf-table cf-runs-table" data-testid="runs-table">
      <thead>
        <tr>
          <th scope="col">Status</th>
          <th scope="col">Contact</th>
          <th scope="col">Conversation</th>
          {showWorkflow && <th scope="col">Workflow</th>}
          <th scope="col">Started</th>
          <th scope="col" className="cf-num">
            Duration
          </th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.id} className="cf-row-link" data-testid="run-row" onClick={() => onOpenRun(run.id)}>
            <td>
              <span style={{ display: 'inline-flex', flexWrap: 'wrap', gap: 6 }}>
                <StatusBadge status={run.status} outcome={run.outcome} />
                {run.test && <span className="cf-badge cf-badge--test">Test</span>}
              </span>
              {run.failedSteps.length > 0 && (
                <div
                  className="cf-step__warning cf-truncate"
                  style={{ marginTop: 4, fontSize: 12 }}
                  data-testid="run-failed-steps"
                >
                  Left by failure: <span className="cf-mono">{run.failedSteps.join(', ')}</span>
                </div>
              )}
              {run.status === 'failed' && run.error && (
                <div className="cf-step__error cf-truncate" style={{ marginTop: 4, fontSize: 12 }} title={run.error}>
                  {run.error}
                </div>
              )}
            </td>
            <td>
              <button
                type="button"
                className="cf-link-button"
                onClick={(event) => {
                  event.stopPropagation();
                  onOpenRun(run.id);
                }}
              >
                {run.contactName || run.contactId}
              </button>
            </td>
            <td className="cf-mono">{run.conversationId}</td>
            {showWorkflow && <td>{run.workflowId}</td>}
            <td>
              <RelativeTime at={run.createdAt} now={now} />
            </td>
            <td className="cf-num">{formatDuration((run.endedAt ?? now) - run.createdAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
