import type { BulkRetryResult } from '@convoflow/engine';
import { useState } from 'react';
import { api } from '../api/client.ts';
import { ErrorNotice } from '../shared/ErrorNotice.tsx';
import '../shared/ui.css';

export interface BulkRetryProps {
  workflowId: string;
  /** The failed step the list is filtered by. */
  step: { id: string; label: string };
  /** How many runs the filtered list holds. */
  count: number;
  /** The list's date range, as the API takes it. */
  range: { from?: string | undefined; to?: string | undefined };
  /** Called once runs were retried, to reload the list. */
  onRetried: () => void;
}

/** Shown on the runs list filtered by a failed step: after an outage, retry all its failed runs at once. */
export function BulkRetry({ workflowId, step, count, range, onRetried }: BulkRetryProps) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<BulkRetryResult | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const runs = count === 1 ? '1 failed run' : `${count.toLocaleString('en-US')} failed runs`;

  const retryAll = async () => {
    setConfirming(false);
    setBusy(true);
    setError(undefined);
    try {
      const body = {
        nodeId: step.id,
        ...(range.from ? { from: range.from } : {}),
        ...(range.to ? { to: range.to } : {}),
      };
      setResult(await api.runs.retryAll(workflowId, body));
      onRetried();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  // Once they are retried the list no longer holds them; the report stays.
  if (count === 0 && result === undefined && error === undefined) return null;
  return (
    <div className="cf-note" data-testid="bulk-retry" style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
      {confirming ? (
        <div style={{ display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap' }}>
          <span style={{ flex: 1 }}>
            Retry all {runs} of {step.label}? Each runs again from that step, with its variables, on the published
            version of the workflow.
          </span>
          <button
            type="button"
            className="cf-button cf-button--primary"
            onClick={retryAll}
            data-testid="bulk-retry-confirm"
          >
            Yes, retry {count === 1 ? 'it' : `all ${count.toLocaleString('en-US')}`}
          </button>
          <button type="button" className="cf-button" onClick={() => setConfirming(false)}>
            Not now
          </button>
        </div>
      ) : (
        count > 0 && (
          <div style={{ display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap' }}>
            <span style={{ flex: 1 }}>Fixed the connection or the workflow?</span>
            <button
              type="button"
              className="cf-button cf-button--primary"
              disabled={busy}
              onClick={() => {
                setResult(undefined);
                setConfirming(true);
              }}
              data-testid="bulk-retry-open"
            >
              {busy ? 'Retrying…' : `Retry all ${runs} of this step`}
            </button>
          </div>
        )
      )}
      {error !== undefined && <ErrorNotice action="The runs could not be retried" error={error} />}
      {result && <BulkRetryReport result={result} />}
    </div>
  );
}

/** Retried and skipped runs, each skipped one with why (the first few). */
function BulkRetryReport({ result }: { result: BulkRetryResult }) {
  const shown = result.skipped.slice(0, 5);
  return (
    <div role="status" data-testid="bulk-retry-result">
      <p style={{ margin: 0 }}>
        Retried {result.retried.length === 1 ? '1 run' : `${result.retried.length} runs`}
        {result.retried.length > 0 ? ': running again from the step, they leave this list' : ''}
        {result.skipped.length > 0 ? `; skipped ${result.skipped.length}:` : '.'}
      </p>
      {shown.length > 0 && (
        <ul style={{ margin: '4px 0 0', paddingLeft: 18 }}>
          {shown.map((skip) => (
            <li key={skip.runId}>
              <span className="cf-mono">{skip.runId}</span>: {skip.reason}
            </li>
          ))}
          {result.skipped.length > shown.length && <li>and {result.skipped.length - shown.length} more</li>}
        </ul>
      )}
      {result.more && (
        <p style={{ margin: '4px 0 0' }}>
          At most {result.limit.toLocaleString('en-US')} runs are retried at once: retry again for the rest.
        </p>
      )}
    </div>
  );
}
