import type { BarTone } from './metricInfo.ts';
import '../shared/ui.css';
import { ChartTable, type ChartText } from './ChartTable.tsx';

export interface Bar {
  label: string;
  value: number;
  tone?: BarTone;
}

export interface BarChartProps extends ChartText {
  bars: readonly Bar[];
}

const width = 420;
const height = 200;
const top = 18;
const bottom = 24;

/** A small SVG bar chart with its values on top, an aria-label summary and a hidden data table. */
export function BarChart({ bars, title, labelHeader, valueHeader }: BarChartProps) {
  const highest = Math.max(1, ...bars.map((bar) => bar.value));
  const slot = width / Math.max(1, bars.length);
  const barWidth = Math.min(56, slot * 0.7);
  const plotHeight = height - top - bottom;
  const summary = `${title}: ${bars.map((bar) => `${bar.label}: ${bar.value}`).join(', ')}`;

  return (
    <figure style={{ margin: 0 }}>
      <svg
        className="cf-chart"
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={summary}
        data-testid="bar-chart"
      >
        <line className="cf-chart__grid" x1={0} x2={width} y1={height - bottom} y2={height - bottom} />
        {bars.map((bar, index) => {
          const barHeight = (bar.value / highest) * plotHeight;
          const x = index * slot + (slot - barWidth) / 2;
          const y = height - bottom - barHeight;
          return (
            <g key={bar.label} data-testid="bar" data-label={bar.label} data-value={bar.value}>
              <rect
                className={`cf-chart__bar${bar.tone ? ` cf-chart__bar--${bar.tone}` : ''}`}
                x={x}
                y={y}
                width={barWidth}
                height={Math.max(barHeight, bar.value > 0 ? 1 : 0)}
                rx={3}
              />
              <text className="cf-chart__value" x={x + barWidth / 2} y={y - 4} textAnchor="middle">
                {bar.value}
              </text>
              <text x={x + barWidth / 2} y={height - 6} textAnchor="middle">
                {bar.label}
              </text>
            </g>
          );
        })}
      </svg>
      <ChartTable title={title} labelHeader={labelHeader} valueHeader={valueHeader} rows={bars} />
    </figure>
  );
}
