import type { CsatReport, Metric } from '@convoflow/engine';
import { formatDecimal, formatPercent } from '../shared/format.ts';

/** How one metric is named, explained, formatted and charted. */
export interface MetricInfo {
  /** Headline label: `CSAT`, `NPS`, `CES`. */
  label: string;
  /** One line saying how the number is computed. */
  explanation: string;
  /** A score (CSAT %, NPS, mean CES) as shown to the operator. */
  format: (score: number | null) => string;
  /** The y range of the trend chart. */
  domain: [number, number];
  /** Colour of a distribution bar for an answer value. */
  tone: (value: number) => BarTone;
  /** The benchmark applies to this metric (the operator may change it). */
  usesBenchmark: boolean;
}

export type BarTone = 'good' | 'neutral' | 'bad';

const signedDecimal = new Intl.NumberFormat('en', {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
  signDisplay: 'exceptZero',
});

/** The metric's presentation for a report (its scale and benchmark shape the wording). */
export function metricInfo(report: Pick<CsatReport, 'metric' | 'scale' | 'benchmark'>): MetricInfo {
  const { min, max } = report.scale;
  const byMetric: Record<Metric, () => MetricInfo> = {
    csat: () => ({
      label: 'CSAT',
      explanation: `CSAT = answers ≥ ${report.benchmark} ÷ all answers`,
      format: (score) => formatPercent(score === null ? null : score / 100),
      domain: [0, 100],
      tone: (value) => (value >= report.benchmark ? 'good' : 'bad'),
      usesBenchmark: true,
    }),
    nps: () => ({
      label: 'NPS',
      explanation: `NPS = % promoters (${max - 1}–${max}) − % detractors (${min}–${max - 4}), from −100 to +100`,
      format: (score) => (score === null ? '—' : signedDecimal.format(score)),
      domain: [-100, 100],
      tone: (value) => (value >= max - 1 ? 'good' : value <= max - 4 ? 'bad' : 'neutral'),
      usesBenchmark: false,
    }),
    ces: () => ({
      label: 'CES',
      explanation: `CES = the mean of all answers, on a scale from ${min} to ${max}`,
      format: (score) => formatDecimal(score),
      domain: [min, max],
      tone: () => 'neutral',
      usesBenchmark: false,
    }),
  };
  return byMetric[report.metric]();
}
