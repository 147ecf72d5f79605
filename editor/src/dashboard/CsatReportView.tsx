import type { CsatReport } from '@convoflow/engine';
import { EmptyState } from '../shared/EmptyState.tsx';
import { formatCount, formatDay, formatDecimal, formatPercent } from '../shared/format.ts';
import { type Bar, BarChart } from './BarChart.tsx';
import { BreakdownTable } from './BreakdownTable.tsx';
import { LineChart } from './LineChart.tsx';
import { metricInfo } from './metricInfo.ts';
import '../shared/ui.css';

export interface CsatReportViewProps {
  report: CsatReport;
  /** Called with a new benchmark when the operator changes it (CSAT only). */
  onBenchmarkChange: (benchmark: number) => void;
}

/** The dashboard's content for one report: headline, response rate, charts and tables. */
export function CsatReportView({ report, onBenchmarkChange }: CsatReportViewProps) {
  const info = metricInfo(report);
  const satisfied = report.distribution
    .filter((entry) => entry.value >= report.benchmark)
    .reduce((sum, entry) => sum + entry.count, 0);
  const scaleValues = range(report.scale.min, report.scale.max);

  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
      <div className="cf-cards">
        <div className="cf-card" data-testid="csat-headline" data-metric={report.metric}>
          <p className="cf-card__label">{info.label}</p>
          <p className="cf-card__value" data-testid="csat-score">
            {info.format(report.score)}
          </p>
          <p className="cf-card__help" data-testid="csat-explanation">
            {info.explanation}
          </p>
          {report.metric === 'csat' && report.answered > 0 && (
            <p className="cf-card__help">
              {formatCount(satisfied)} of {formatCount(report.answered)} answers were {report.benchmark} or more.
            </p>
          )}
        </div>

        {info.usesBenchmark && (
          <div className="cf-card">
            <div className="cf-field">
              <label className="cf-card__label" htmlFor="csat-benchmark">
                Benchmark
              </label>
              {scaleValues.length > 0 ? (
                <select
                  className="cf-input"
                  value={report.benchmark}
                  onChange={(event) => onBenchmarkChange(Number(event.target.value))}
                  id="csat-benchmark"
                  data-testid="csat-benchmark"
                  style={{ marginTop: 6 }}
                >
                  {scaleValues.map((value) => (
                    <option key={value} value={value}>
                      {value === report.scale.max ? `${value} only` : `${value} or more`}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  className="cf-input"
                  type="number"
                  min={report.scale.min}
                  max={report.scale.max}
                  defaultValue={report.benchmark}
                  onBlur={(event) =>
                    Number.isFinite(event.target.valueAsNumber) && onBenchmarkChange(event.target.valueAsNumber)
                  }
                  id="csat-benchmark"
                  data-testid="csat-benchmark"
                  style={{ marginTop: 6 }}
                />
              )}
            </div>
            <p className="cf-card__help" style={{ marginTop: 8 }}>
              Answers at or above the benchmark count as satisfied.
            </p>
          </div>
        )}

        <div className="cf-card">
          <p className="cf-card__label">Response rate</p>
          <p className="cf-card__value" data-testid="response-rate">
            {formatPercent(report.responseRate)}
          </p>
          <p className="cf-card__help">
            {formatCount(report.answered)} answered ÷ {formatCount(report.asked)} asked
          </p>
        </div>

        <div className="cf-card">
          <p className="cf-card__label">Average answer</p>
          <p className="cf-card__value">{formatDecimal(report.average)}</p>
          <p className="cf-card__help">
            on a scale from {report.scale.min} to {report.scale.max}
          </p>
        </div>
      </div>

      {report.answered === 0 ? (
        <EmptyState title="No answers yet in this period" testId="csat-empty">
          <p>
            {report.asked > 0
              ? `The question was asked ${formatCount(report.asked)} times; no contact has answered yet.`
              : 'The question has not been asked in this period.'}
          </p>
          <p>
            Answers are counted when contacts reply to a published workflow. Test runs from the simulator do not count.
          </p>
        </EmptyState>
      ) : (
        <>
          <div className="cf-grid-2">
            <section className="cf-card" aria-labelledby="distribution-title">
              <h3 className="cf-card__label" id="distribution-title" style={{ marginBottom: 8 }}>
                Distribution
              </h3>
              <BarChart
                bars={distributionBars(report, scaleValues, info.tone)}
                title="Answers by value"
                labelHeader="Answer"
                valueHeader="Answers"
              />
            </section>
            <section className="cf-card" aria-labelledby="trend-title">
              <h3 className="cf-card__label" id="trend-title" style={{ marginBottom: 8 }}>
                {info.label} by day
              </h3>
              <LineChart
                points={report.byDay.map((day) => ({ label: formatDay(day.key), value: day.score }))}
                domain={info.domain}
                format={(value) => info.format(value)}
                title={`${info.label} by day`}
                labelHeader="Day"
                valueHeader={info.label}
              />
            </section>
          </div>
          <div className="cf-grid-2">
            {breakdownsOf(report).map(({ id, title, keyLabel, rows }) => (
              <section key={id} className="cf-card" aria-labelledby={`${id}-title`}>
                <h3 className="cf-card__label" id={`${id}-title`} style={{ marginBottom: 8 }}>
                  {title}
                </h3>
                <BreakdownTable
                  rows={rows}
                  keyLabel={keyLabel}
                  scoreLabel={info.label}
                  formatScore={info.format}
                  testId={`csat-${id}`}
                />
              </section>
            ))}
          </div>
        </>
      )}
    </div>
  );
}

/**
 * The report's breakdown tables. An inbox is keyed `<connection>/<inbox>` (a platform's inbox id
 * means something within its connection only); an answer without one is under "unknown".
 */
function breakdownsOf(report: CsatReport) {
  return [
    { id: 'by-agent', title: 'By agent', keyLabel: 'Agent', rows: report.byAgent },
    { id: 'by-channel', title: 'By channel', keyLabel: 'Channel', rows: report.byChannel },
    { id: 'by-connection', title: 'By connection', keyLabel: 'Connection', rows: report.byConnection },
    { id: 'by-inbox', title: 'By inbox', keyLabel: 'Inbox', rows: report.byInbox },
  ];
}

/** One bar per value of the scale (zero where nobody answered it), plus any value outside it. */
function distributionBars(
  report: CsatReport,
  scaleValues: readonly number[],
  tone: (value: number) => Bar['tone'],
): Bar[] {
  const counts = new Map(report.distribution.map((entry) => [entry.value, entry.count]));
  const values = [...new Set([...scaleValues, ...counts.keys()])].sort((a, b) => a - b);
  return values.map((value) => ({ label: String(value), value: counts.get(value) ?? 0, tone: tone(value) }));
}

/** Whole numbers from `min` to `max`; empty for a scale too wide to list. */
function range(min: number, max: number): number[] {
  if (!Number.isInteger(min) || !Number.isInteger(max) || max < min || max - min > 20) return [];
  return Array.from({ length: max - min + 1 }, (_, index) => min + index);
}
