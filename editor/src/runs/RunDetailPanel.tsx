import type { StepLogEntry } from '@convoflow/engine';
import { useEffect, useRef, useState } from 'react';
import { api } from '../api/client.ts';
import { ErrorNotice } from '../shared/ErrorNotice.tsx';
import { Skeleton } from '../shared/Skeleton.tsx';
import { useLiveRun } from '../shared/useLiveRun.ts';
import { useNow } from '../shared/useNow.ts';
import { RunDetailView } from './RunDetailView.tsx';
import '../shared/ui.css';

export interface RunDetailPanelProps {
  /** The run to show; it is re-read every second until it ends. */
  runId: string;
  /**
   * Called with the ids of the nodes the run went through, in order (a node may repeat),
   * whenever that path grows, so the canvas can highlight it.
   */
  /** The run's steps, each with the exit it took, for the canvas to light the path. */
  onPath?: (steps: readonly StepLogEntry[]) => void;
  /** Closes the panel. */
  onClose: () => void;
}

/** One run's detail in a side panel, live while the run is in progress, with "Cancel run" and "Retry from …". */
export function RunDetailPanel({ runId, onPath, onClose }: RunDetailPanelProps) {
  const live = useLiveRun(runId, 1000);
  const now = useNow(1000);
  const cancel = useRunAction(() => api.runs.cancel(runId), live.refresh);
  const retry = useRunAction((nodeId: string) => api.runs.retry(runId, nodeId), live.refresh);

  const onPathRef = useRef(onPath);
  useEffect(() => {
    onPathRef.current = onPath;
  });
  const path = live.data?.steps ?? [];
  const pathKey = path.map((step) => `${step.nodeId}:${step.exit ?? ''}`).join('\n');
  // biome-ignore lint/correctness/useExhaustiveDependencies: `pathKey` stands for `path`
  useEffect(() => {
    onPathRef.current?.(path);
  }, [pathKey]);

  return (
    <section className="cf-panel" aria-label="Run detail" data-testid="run-detail">
      <header className="cf-panel__header">
        <h2 className="cf-panel__title">Run{live.data?.contactName ? ` for ${live.data.contactName}` : ''}</h2>
        <button type="button" className="cf-button cf-button--ghost" onClick={onClose} aria-label="Close run detail">
          ✕
        </button>
      </header>
      <div className="cf-panel__body">
        {cancel.error !== undefined && <ErrorNotice action="The run could not be cancelled" error={cancel.error} />}
        {retry.error !== undefined && <ErrorNotice action="The run could not be retried" error={retry.error} />}
        {live.error !== undefined && (
          <ErrorNotice action="The run could not be read" error={live.error} onRetry={live.refresh} />
        )}
        {live.data ? (
          <RunDetailView
            run={live.data}
            now={now}
            onCancel={cancel.start}
            cancelling={cancel.busy}
            onRetry={retry.start}
            retrying={retry.busy}
          />
        ) : (
          live.loading && <Skeleton lines={6} label="Loading the run…" />
        )}
      </div>
    </section>
  );
}

/** An operator's action on the run: busy while it runs, its error kept for a notice, the run re-read after it. */
function useRunAction<Args extends unknown[]>(act: (...args: Args) => Promise<unknown>, refresh: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const start = async (...args: Args) => {
    setBusy(true);
    setError(undefined);
    try {
      await act(...args);
      refresh();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return { start, busy, error };
}
