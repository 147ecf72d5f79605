import { describe, expect, it } from 'vitest';
import { formatDay, formatDuration, formatPercent, formatRelative, utcDay } from './format.ts';

describe('formatDuration', () => {
  it('picks the unit that reads best', () => {
    expect(formatDuration(340)).toBe('340 ms');
    expect(formatDuration(4200)).toBe('4.2 s');
    expect(formatDuration(5000)).toBe('5 s');
    expect(formatDuration(192_000)).toBe('3 min 12 s');
    expect(formatDuration(7_500_000)).toBe('2 h 5 min');
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000)).toBe('3 d 4 h');
    expect(formatDuration(-5)).toBe('—');
  });
});

describe('formatPercent', () => {
  it('shows a ratio as a percent with one decimal, and a dash for no value', () => {
    expect(formatPercent(5 / 6)).toBe('83.3%');
    expect(formatPercent(1)).toBe('100.0%');
    expect(formatPercent(null)).toBe('—');
  });
});

describe('formatRelative', () => {
  const now = Date.UTC(2026, 10, 23, 12, 0, 0);
  it('says how long ago, in words', () => {
    expect(formatRelative(now - 3000, now)).toBe('just now');
    expect(formatRelative(now - 5 * 60_000, now)).toBe('5 minutes ago');
    expect(formatRelative(now - 26 * 3_600_000, now)).toBe('yesterday');
  });
});

describe('days', () => {
  it('counts UTC days back and shows them short', () => {
    const now = Date.UTC(2026, 10, 23, 1, 0, 0);
    expect(utcDay(now)).toBe('2026-11-23');
    expect(utcDay(now, 29)).toBe('2026-10-25');
    expect(formatDay('2026-11-03')).toBe('Nov 3');
  });
});
