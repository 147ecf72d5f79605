import type { CsatQuery, CsatReport } from '@convoflow/engine';
import { useRef, useState } from 'react';
import { api } from '../api/client.ts';
import { ErrorNotice } from '../shared/ErrorNotice.tsx';
import { Skeleton } from '../shared/Skeleton.tsx';
import { useNow } from '../shared/useNow.ts';
import { usePolling } from '../shared/usePolling.ts';
import { CsatReportView } from './CsatReportView.tsx';
import { type DateRange, DateRangeControl, resolveRange } from './DateRangeControl.tsx';
import { saveBlob } from './saveBlob.ts';
import '../shared/ui.css';

export interface CsatDashboardProps {
  /** The workflow whose survey answers are reported (its published versions' runs). */
  workflowId: string;
}

/**
 * The survey dashboard of one workflow: CSAT % (or NPS / mean CES) against a benchmark,
 * response rate, distribution, trend by day, by agent and by channel, over a date range,
 * with a CSV export of the answers. Refreshes every minute.
 */
export function CsatDashboard({ workflowId }: CsatDashboardProps) {
  const now = useNow(60_000);
  const [range, setRange] = useState<DateRange>({ preset: 30 });
  const [benchmark, setBenchmark] = useState<number | undefined>(undefined);
  const query: CsatQuery = { ...resolveRange(range, now), benchmark };
  const report = usePolling(() => api.workflows.csat(workflowId, query), {
    key: JSON.stringify([workflowId, query]),
    intervalMs: 60_000,
  });
  // While another range or benchmark loads, the previous report stays on screen, dimmed.
  const lastReport = useRef<CsatReport | undefined>(undefined);
  if (report.data) lastReport.current = report.data;
  const shown = report.data ?? (lastReport.current?.workflowId === workflowId ? lastReport.current : undefined);

  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<unknown>(undefined);
  const exportCsv = async () => {
    setExporting(true);
    setExportError(undefined);
    try {
      const blob = await api.workflows.csv(workflowId, query);
      saveBlob(blob, `answers-${workflowId}-${query.from}-to-${query.to}.csv`);
    } catch (error) {
      setExportError(error);
    } finally {
      setExporting(false);
    }
  };

  return (
    <section className="cf-page" aria-labelledby="dashboard-title" data-testid="csat-dashboard">
      <div className="cf-toolbar">
        <h2 id="dashboard-title" style={{ margin: 0, fontSize: 18 }}>
          Survey results
        </h2>
        <span className="cf-toolbar__spacer" />
        <DateRangeControl range={range} onChange={setRange} now={now} />
        <button
          type="button"
          className="cf-button"
          onClick={exportCsv}
          disabled={exporting}
          data-testid="csat-export"
          title="Download every answer of this period as a CSV file"
        >
          {exporting ? 'Preparing CSV…' : 'Export CSV'}
        </button>
      </div>
      {exportError !== undefined && <ErrorNotice action="The CSV could not be exported" error={exportError} />}
      {report.error !== undefined && (
        <ErrorNotice action="The report could not be loaded" error={report.error} onRetry={report.refresh} />
      )}
      {shown ? (
        <div aria-busy={report.loading} style={{ opacity: report.loading ? 0.6 : 1, transition: 'opacity 150ms' }}>
          <CsatReportView report={shown} onBenchmarkChange={setBenchmark} />
        </div>
      ) : (
        report.loading && <Skeleton lines={8} label="Loading the report…" />
      )}
    </section>
  );
}

export default CsatDashboard;
