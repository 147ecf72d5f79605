import '../shared/ui.css';
import { ChartTable, type ChartText } from './ChartTable.tsx';

export interface LinePoint {
  /** The x label, e.g. a day as "Nov 23". */
  label: string;
  /** Null where there is no value (a day without answers): the line breaks there. */
  value: number | null;
}

export interface LineChartProps extends ChartText {
  points: readonly LinePoint[];
  /** The y range: a score chart keeps its full scale so small moves do not look dramatic. */
  domain: [number, number];
  format: (value: number) => string;
}

const width = 640;
const height = 200;
const left = 44;
const right = 12;
const top = 12;
const bottom = 26;
const maxXLabels = 7;

/** An SVG line chart with points, y gridlines, an aria-label summary and a hidden data table. */
export function LineChart({ points, domain, format, title, labelHeader, valueHeader }: LineChartProps) {
  const [low, high] = domain[0] === domain[1] ? [domain[0] - 1, domain[1] + 1] : domain;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const x = (index: number) => left + (points.length <= 1 ? plotWidth / 2 : (index / (points.length - 1)) * plotWidth);
  const y = (value: number) => top + (1 - (clamp(value, low, high) - low) / (high - low)) * plotHeight;
  const ticks = [low, (low + high) / 2, high];
  const labelEvery = Math.max(1, Math.ceil(points.length / maxXLabels));

  return (
    <figure style={{ margin: 0 }}>
      <svg
        className="cf-chart"
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={summarize(points, format, title)}
        data-testid="line-chart"
      >
        {ticks.map((tick) => (
          <g key={tick}>
            <line className="cf-chart__grid" x1={left} x2={width - right} y1={y(tick)} y2={y(tick)} />
            <text x={left - 6} y={y(tick) + 4} textAnchor="end">
              {format(tick)}
            </text>
          </g>
        ))}
        {segments(points).map((segment) => (
          <polyline
            key={segment[0]}
            className="cf-chart__line"
            points={segment.map((index) => `${x(index)},${y(points[index]?.value ?? low)}`).join(' ')}
          />
        ))}
        {points.map((point, index) =>
          point.value === null ? null : (
            <circle
              key={point.label}
              className="cf-chart__point"
              cx={x(index)}
              cy={y(point.value)}
              r={3.5}
              data-testid="point"
              data-label={point.label}
              data-value={point.value}
            >
              <title>{`${point.label}: ${format(point.value)}`}</title>
            </circle>
          ),
        )}
        {points.map((point, index) =>
          index % labelEvery === 0 || index === points.length - 1 ? (
            <text key={point.label} x={x(index)} y={height - 6} textAnchor="middle">
              {point.label}
            </text>
          ) : null,
        )}
      </svg>
      <ChartTable
        title={title}
        labelHeader={labelHeader}
        valueHeader={valueHeader}
        rows={points.map((point) => ({
          label: point.label,
          value: point.value === null ? 'no answers' : format(point.value),
        }))}
      />
    </figure>
  );
}

/** Runs of consecutive indexes with a value; each becomes one polyline. */
function segments(points: readonly LinePoint[]): number[][] {
  const runs: number[][] = [];
  let current: number[] = [];
  points.forEach((point, index) => {
    if (point.value === null) {
      if (current.length > 0) runs.push(current);
      current = [];
    } else current.push(index);
  });
  if (current.length > 0) runs.push(current);
  return runs.filter((run) => run.length > 1);
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/** "CSAT by day, Nov 1 to Nov 7: lowest 60.0% on Nov 3, highest 90.0% on Nov 5, last 80.0% on Nov 7." */
function summarize(points: readonly LinePoint[], format: (value: number) => string, title: string): string {
  const valued = points.filter((point): point is { label: string; value: number } => point.value !== null);
  const first = points[0];
  const lastPoint = points.at(-1);
  const span = first && lastPoint ? `, ${first.label} to ${lastPoint.label}` : '';
  if (valued.length === 0) return `${title}${span}: no values.`;
  const lowest = valued.reduce((a, b) => (b.value < a.value ? b : a));
  const highest = valued.reduce((a, b) => (b.value > a.value ? b : a));
  const last = valued[valued.length - 1]!;
  return `${title}${span}: lowest ${format(lowest.value)} on ${lowest.label}, highest ${format(highest.value)} on ${highest.label}, last ${format(last.value)} on ${last.label}.`;
}
