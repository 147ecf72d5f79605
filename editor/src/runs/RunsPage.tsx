import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import { useCan } from '../app/useMe.ts';
import { exitsOf, stepTitle } from '../canvas/node-types.ts';
import { EmptyState } from '../shared/EmptyState.tsx';
import { ErrorNotice } from '../shared/ErrorNotice.tsx';
import { Skeleton } from '../shared/Skeleton.tsx';
import { useNow } from '../shared/useNow.ts';
import { usePolling } from '../shared/usePolling.ts';
import { BulkRetry } from './BulkRetry.tsx';
import { failureExits } from './failedSteps.ts';
import { filtersOfHash, hashWithFilters, noFilters, type RunFilterValues } from './filterHash.ts';
import { RunFilters, runQueryOf } from './RunFilters.tsx';
import { RunsTable } from './RunsTable.tsx';
import '../shared/ui.css';
import './runs.css';

export interface RunsPageProps {
  /** Only this workflow's runs; all workflows' runs (with a Workflow column) when absent. */
  workflowId?: string;
  /** Opens a run's detail (the shell shows `RunDetailPanel`). */
  onOpenRun: (runId: string) => void;
}

/** Runs per page. */
const PAGE_SIZE = 50;

/** The runs list with its filters, a page at a time, refreshed every 2 s while visible. */
export function RunsPage({ workflowId, onOpenRun }: RunsPageProps) {
  const [values, setValues] = useState<RunFilterValues>(() => filtersOfHash(window.location.hash));
  const [offset, setOffset] = useState(0);
  const conversationId = useSettled(values.conversation.trim(), 300);
  const steps = useWorkflowSteps(workflowId);
  const now = useNow(1000);
  const filters = { workflowId, ...runQueryOf(values, conversationId) };
  const runs = usePolling(() => api.runs.page({ ...filters, limit: PAGE_SIZE, offset }), {
    key: JSON.stringify({ ...filters, offset }),
    intervalMs: 2000,
  });
  const filtered = JSON.stringify(values) !== JSON.stringify(noFilters);
  const failedStep = steps.find((step) => step.id === values.nodeId);
  // Retrying changes runs: a viewer's key reads them only.
  const canRetry = useCan('editor');
  const changeFilters = (next: RunFilterValues) => {
    setValues(next);
    setOffset(0);
    // Replaced, not pushed: Back leaves the list rather than stepping through each filter.
    window.history.replaceState(window.history.state, '', hashWithFilters(window.location.hash, next));
  };

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
      </div>
      <div className="cf-run-filters">
        <RunFilters values={values} onChange={changeFilters} steps={steps} />
      </div>

      {workflowId !== undefined &&
        failedStep &&
        canRetry &&
        (bulkRetryMatchesList(values) ? (
          runs.data !== undefined && (
            <BulkRetry
              key={failedStep.id}
              workflowId={workflowId}
              step={failedStep}
              count={runs.data.total}
              range={{ from: filters.from, to: filters.to }}
              onRetried={runs.refresh}
            />
          )
        ) : (
          <p className="cf-muted" data-testid="bulk-retry-narrowed">
            To retry all failed runs of this step, clear the outcome, status and conversation filters: a bulk retry
            takes every failed run of the step in the dates shown.
          </p>
        ))}
      {runs.error !== undefined && (
        <ErrorNotice action="The runs could not be loaded" error={runs.error} onRetry={runs.refresh} />
      )}
      {runs.data === undefined ? (
        runs.loading && <Skeleton lines={5} label="Loading runs…" />
      ) : runs.data.runs.length === 0 ? (
        filtered ? (
          <EmptyState title="No run matches these filters." testId="runs-empty">
            <button type="button" className="cf-button" onClick={() => changeFilters(noFilters)}>
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
        <>
          <RunsTable runs={runs.data.runs} now={now} showWorkflow={workflowId === undefined} onOpenRun={onOpenRun} />
          <Pager
            offset={offset}
            shown={runs.data.runs.length}
            total={runs.data.total}
            exact={runs.data.exact}
            onOffset={setOffset}
          />
        </>
      )}
    </section>
  );
}

/** "1–50 of 1,234" with previous and next. */
function Pager(props: {
  offset: number;
  shown: number;
  total: number;
  exact: boolean;
  onOffset: (offset: number) => void;
}) {
  const { offset, shown, total, exact, onOffset } = props;
  const count = (n: number) => n.toLocaleString('en-US');
  return (
    <nav className="cf-toolbar" aria-label="Pages of runs" style={{ alignItems: 'center', marginTop: 8 }}>
      <span className="cf-muted" data-testid="runs-range">
        {count(offset + 1)}–{count(offset + shown)} of {exact ? '' : 'at least '}
        {count(total)}
      </span>
      <span className="cf-toolbar__spacer" />
      <button
        type="button"
        className="cf-button"
        disabled={offset === 0}
        onClick={() => onOffset(Math.max(0, offset - PAGE_SIZE))}
      >
        Previous
      </button>
      <button
        type="button"
        className="cf-button"
        disabled={offset + shown >= total}
        onClick={() => onOffset(offset + PAGE_SIZE)}
      >
        Next
      </button>
    </nav>
  );
}

/** The workflow's steps that have a failure exit, for the step filter. */
function useWorkflowSteps(workflowId: string | undefined): Array<{ id: string; label: string }> {
  const [steps, setSteps] = useState<Array<{ id: string; label: string }>>([]);
  useEffect(() => {
    if (workflowId === undefined) return;
    let live = true;
    api.workflows
      .get(workflowId)
      .then((record) => {
        if (!live) return;
        const actions = record.nodes.filter((node) =>
          exitsOf(node.type, node.data ?? {}).some((exit) => failureExits.has(exit)),
        );
        setSteps(
          actions.map((node) => ({
            id: node.id,
            label: `${stepTitle(node.type, node.label)} (${node.id})`,
          })),
        );
      })
      // Without the workflow the list still works: it only lacks the step filter.
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [workflowId]);
  return steps;
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

/**
 * Whether the list shows what a bulk retry of its step retries (every failed run of the step in
 * the dates): filtered further, by a conversation, a status or one failure outcome, it would
 * name a count smaller than the runs retried.
 */
function bulkRetryMatchesList(values: RunFilterValues): boolean {
  const outcomeAll = values.outcome === '' || values.outcome === 'any_failure';
  return outcomeAll && values.status === '' && values.conversation.trim() === '';
}
