import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { BarChart } from './BarChart.tsx';
import { LineChart } from './LineChart.tsx';

afterEach(cleanup);

describe('BarChart', () => {
  it('draws one bar per value, tallest for the largest count, with a summary and a data table', () => {
    render(
      <BarChart
        bars={[
          { label: '1', value: 2, tone: 'bad' },
          { label: '2', value: 0, tone: 'bad' },
          { label: '5', value: 8, tone: 'good' },
        ]}
        title="Answers by value"
        labelHeader="Answer"
        valueHeader="Answers"
      />,
    );
    const chart = screen.getByRole('img');
    expect(chart.getAttribute('aria-label')).toBe('Answers by value: 1: 2, 2: 0, 5: 8');
    const bars = screen.getAllByTestId('bar');
    expect(bars.map((bar) => bar.getAttribute('data-value'))).toEqual(['2', '0', '8']);
    const heights = bars.map((bar) => Number(bar.querySelector('rect')?.getAttribute('height')));
    expect(heights[2]).toBeGreaterThan(heights[0]!);
    expect(heights[1]).toBe(0);
    expect(bars[2]!.querySelector('rect')?.getAttribute('class')).toContain('cf-chart__bar--good');

    const table = screen.getByRole('table', { name: 'Answers by value' });
    expect(table.querySelectorAll('tbody tr')).toHaveLength(3);
    expect(screen.getByRole('rowheader', { name: '5' }).nextElementSibling?.textContent).toBe('8');
  });
});

describe('LineChart', () => {
  const format = (value: number) => `${value.toFixed(1)}%`;

  it('draws a point per day with a value, breaks the line at days without one, and summarizes', () => {
    const { container } = render(
      <LineChart
        points={[
          { label: 'Nov 1', value: 80 },
          { label: 'Nov 2', value: 60 },
          { label: 'Nov 3', value: null },
          { label: 'Nov 4', value: 90 },
          { label: 'Nov 5', value: 70 },
        ]}
        domain={[0, 100]}
        format={format}
        title="CSAT by day"
        labelHeader="Day"
        valueHeader="CSAT"
      />,
    );
    const points = screen.getAllByTestId('point');
    expect(points.map((point) => point.getAttribute('data-label'))).toEqual(['Nov 1', 'Nov 2', 'Nov 4', 'Nov 5']);
    // Higher scores sit higher (smaller y).
    const y = (label: string) =>
      Number(points.find((point) => point.getAttribute('data-label') === label)?.getAttribute('cy'));
    expect(y('Nov 4')).toBeLessThan(y('Nov 2'));
    expect(container.querySelectorAll('polyline')).toHaveLength(2);

    expect(screen.getByRole('img').getAttribute('aria-label')).toBe(
      'CSAT by day, Nov 1 to Nov 5: lowest 60.0% on Nov 2, highest 90.0% on Nov 4, last 70.0% on Nov 5.',
    );
    expect(screen.getByRole('rowheader', { name: 'Nov 3' }).nextElementSibling?.textContent).toBe('no answers');
  });

  it('says there is nothing to show when no day has a value', () => {
    render(
      <LineChart
        points={[{ label: 'Nov 1', value: null }]}
        domain={[0, 100]}
        format={format}
        title="CSAT by day"
        labelHeader="Day"
        valueHeader="CSAT"
      />,
    );
    expect(screen.queryAllByTestId('point')).toHaveLength(0);
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe('CSAT by day, Nov 1 to Nov 1: no values.');
  });
});
