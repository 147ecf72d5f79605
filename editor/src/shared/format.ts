/** Number, time and duration formatting shared by the runs, simulator and dashboard screens. */

const locale = 'en';

/** `340 ms`, `4.2 s`, `3 min 12 s`, `2 h 5 min`, `3 d 4 h`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${trimZero(seconds.toFixed(1))} s`;
  const totalSeconds = Math.floor(seconds);
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) return joinUnits(minutes, 'min', totalSeconds % 60, 's');
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return joinUnits(hours, 'h', minutes % 60, 'min');
  return joinUnits(Math.floor(hours / 24), 'd', hours % 24, 'h');
}

function joinUnits(major: number, majorUnit: string, minor: number, minorUnit: string): string {
  return minor === 0 ? `${major} ${majorUnit}` : `${major} ${majorUnit} ${minor} ${minorUnit}`;
}

function trimZero(text: string): string {
  return text.endsWith('.0') ? text.slice(0, -2) : text;
}

const percentFormat = new Intl.NumberFormat(locale, {
  style: 'percent',
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

/** A ratio (0–1) as a percent with one decimal: `0.8333` → `83.3%`. */
export function formatPercent(ratio: number | null | undefined): string {
  return ratio === null || ratio === undefined || !Number.isFinite(ratio) ? '—' : percentFormat.format(ratio);
}

const decimalFormat = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const integerFormat = new Intl.NumberFormat(locale);

/** A mean or score with one decimal: `4.25` → `4.3`. */
export function formatDecimal(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : decimalFormat.format(value);
}

/** A count with grouping: `12345` → `12,345`. */
export function formatCount(value: number): string {
  return integerFormat.format(value);
}

const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });

/** The full date and time, for tooltips: `Nov 23, 2026, 6:05:54 AM`. */
export function formatDateTime(at: number): string {
  return dateTimeFormat.format(new Date(at));
}

const relativeFormat = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
const relativeSteps: ReadonlyArray<[limitSeconds: number, unit: Intl.RelativeTimeFormatUnit, seconds: number]> = [
  [60, 'second', 1],
  [3600, 'minute', 60],
  [86_400, 'hour', 3600],
  [604_800, 'day', 86_400],
  [2_629_800, 'week', 604_800],
  [31_557_600, 'month', 2_629_800],
  [Number.POSITIVE_INFINITY, 'year', 31_557_600],
];

/** `just now`, `5 minutes ago`, `yesterday`, `in 2 hours`. */
export function formatRelative(at: number, now: number): string {
  const deltaSeconds = (at - now) / 1000;
  if (Math.abs(deltaSeconds) < 10) return 'just now';
  for (const [limit, unit, seconds] of relativeSteps) {
    if (Math.abs(deltaSeconds) < limit) return relativeFormat.format(Math.round(deltaSeconds / seconds), unit);
  }
  return formatDateTime(at);
}

/** A day key (`YYYY-MM-DD`, UTC) as `Nov 23`. */
export function formatDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(date.getTime())
    ? day
    : date.toLocaleDateString(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

/** The UTC day (`YYYY-MM-DD`) `daysBack` days before `now`. */
export function utcDay(now: number, daysBack = 0): string {
  return new Date(now - daysBack * 86_400_000).toISOString().slice(0, 10);
}
