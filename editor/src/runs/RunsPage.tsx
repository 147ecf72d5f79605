import { type RunStatus, runStatuses } from '@convoflow/engine';
import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import { EmptyState } from '../shared/EmptyState.tsx';
import { ErrorNotice } from '../shared/ErrorNotice.tsx';
import { Skeleton } from '../shared/Skeleton.tsx';
import { runStatusLabels } from '../shared/StatusBadge.tsx';
import { useNow } from '../shared/useNow.ts';
import { usePolling } from '../shared/usePolling.ts';
import { RunsTable } from './RunsTable.tsx';
import '../shared/ui.css';

export interface RunsPageProps {
  /** Only this workflow's runs; all workflows' runs (with a Workflow column) when absent. */
  workflowId?: string;
  /** Opens a run's detail (the shell shows `RunDetailPanel`). */
  onOpenRun: (runId: string) => void;
}

/** The runs list with status and conversation filters, refreshed every 2 s while visible. */
export function RunsPage({ workflowId, onOpenRun }: RunsPageProps) {
  const [status, setStatus] = useState<RunStatus | ''>('');
  const [conversationInput, setConversationInput] = useState('');
  const conversationId = useSettled(conversationInput.trim(), 300);
  const now = useNow(1000);
  const filters = { workflowId, status: status || undefined, conversationId: conversationId || undefined };
  const runs = usePolling(() => api.runs.list({ ...filters, limit: 100 }), {
    key: JSON.stringify(filters),
    intervalMs: 2000,
  });
  const filtered = status !== '' || conversationId !== '';

  return (
    <section className="cf-page" aria-labelledby="runs-title" data-testid="runs-page">
      <div className="cf-toolbar">
        <h2 id="runs-title" style={{ margin: 0, fontSize: 18 }}>
          Runs
        </h2>
        <span className="cf-muted" style={{ fontSize: 12 }}>
          Updates live
        </span>
        <span className="cf-toolbar__spacer" />
        <label className="cf-field">
          <span className="cf-field__label">Status</span>
          <select
            className="cf-input"
            value={status}
            onChange={(event) => setStatus(parseStatus(event.target.value))}
            data-testid="runs-filter-status"
          >
            <option value="">All statuses</option>
            {runStatuses.map((value) => (
              <option key={value} value={value}>
                {runStatusLabels[value]}
              </option>
            ))}
          </select>
        </label>
        <label className="cf-field">
          <span className="cf-field__label">Conversation id</span>
          <input
            className="cf-input"
            type="search"
            value={conversationInput}
            onChange={(event) => setConversationInput(event.target.value)}
            placeholder="e.g. conv-123"
            data-testid="runs-filter-conversation"
          />
        </label>
      </div>

      {runs.error !== undefined && (
        <ErrorNotice action="The runs could not be loaded" error={runs.error} onRetry={runs.refresh} />
      )}
      {runs.data === undefined ? (
        runs.loading && <Skeleton lines={5} label="Loading runs…" />
      ) : runs.data.length === 0 ? (
        filtered ? (
          <EmptyState title="No run matches these filters." testId="runs-empty">
            <button
              type="button"
              className="cf-button"
              onClick={() => {
                setStatus('');
                setConversationInput('');
              }}
            >
              Clear filters
            </button>
          </EmptyState>
        ) : (
          <EmptyState title="No runs yet" testId="runs-empty">
            <p>
              A run starts when the chat platform reports a closed conversation to a published workflow, or when an
              agent uses its shortcut.
            </p>
            <p>
              To try it now, test the workflow in the chat simulator: it runs the saved draft for a made-up contact.
            </p>
          </EmptyState>
        )
      ) : (
        <RunsTable runs={runs.data} now={now} showWorkflow={workflowId === undefined} onOpenRun={onOpenRun} />
      )}
    </section>
  );
}

function parseStatus(value: string): RunStatus | '' {
  return runStatuses.find((status) => status === value) ?? '';
}

/** `value` once it stopped changing for `delayMs` (typing in a filter box). */
function useSettled<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}
