import type { CsatReport } from '@convoflow/engine';
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CsatReportView } from './CsatReportView.tsx';

afterEach(cleanup);

function csatReport(overrides: Partial<CsatReport> = {}): CsatReport {
  return {
    workflowId: 'wf',
    nodeId: 'ask',
    metric: 'csat',
    scale: { min: 1, max: 5 },
    benchmark: 4,
    from: '2026-11-01',
    to: '2026-11-03',
    asked: 8,
    answered: 6,
    responseRate: 0.75,
    score: (5 / 6) * 100,
    average: 4.1667,
    distribution: [
      { value: 2, count: 1 },
      { value: 4, count: 2 },
      { value: 5, count: 3 },
    ],
    byDay: [
      { key: '2026-11-01', asked: 3, answered: 3, score: 100, average: 4.67 },
      { key: '2026-11-02', asked: 2, answered: 0, score: null, average: null },
      { key: '2026-11-03', asked: 3, answered: 3, score: 66.67, average: 3.67 },
    ],
    byAgent: [
      { key: 'Bea', answered: 2, score: 50, average: 3 },
      { key: 'Alex', answered: 4, score: 100, average: 4.75 },
    ],
    byChannel: [{ key: 'whatsapp', answered: 6, score: (5 / 6) * 100, average: 4.1667 }],
    byConnection: [
      { key: 'helpdesk', answered: 4, score: 75, average: 4 },
      { key: 'unknown', answered: 2, score: 100, average: 4.5 },
    ],
    byInbox: [
      { key: 'helpdesk/2', answered: 3, score: 100, average: 4.67 },
      { key: 'unknown', answered: 2, score: 100, average: 4.5 },
      { key: 'helpdesk/7', answered: 1, score: 0, average: 2 },
    ],
    ...overrides,
  };
}

describe('CsatReportView', () => {
  it('shows CSAT % with one decimal, how it is computed, and the response rate', () => {
    render(<CsatReportView report={csatReport()} onBenchmarkChange={() => {}} />);
    const headline = screen.getByTestId('csat-headline');
    expect(within(headline).getByText('CSAT')).toBeTruthy();
    expect(screen.getByTestId('csat-score').textContent).toBe('83.3%');
    expect(screen.getByTestId('csat-explanation').textContent).toBe('CSAT = answers ≥ 4 ÷ all answers');
    expect(headline.textContent).toContain('5 of 6 answers were 4 or more.');
    expect(screen.getByTestId('response-rate').textContent).toBe('75.0%');
    expect(screen.getByText('6 answered ÷ 8 asked')).toBeTruthy();
  });

  it('draws every value of the scale, the satisfied ones marked, and a point per answered day', () => {
    render(<CsatReportView report={csatReport()} onBenchmarkChange={() => {}} />);
    const bars = screen.getAllByTestId('bar');
    expect(bars.map((bar) => [bar.getAttribute('data-label'), bar.getAttribute('data-value')])).toEqual([
      ['1', '0'],
      ['2', '1'],
      ['3', '0'],
      ['4', '2'],
      ['5', '3'],
    ]);
    expect(bars[3]!.querySelector('rect')?.getAttribute('class')).toContain('--good');
    expect(bars[2]!.querySelector('rect')?.getAttribute('class')).toContain('--bad');
    expect(screen.getAllByTestId('point').map((point) => point.getAttribute('data-label'))).toEqual(['Nov 1', 'Nov 3']);
  });

  it('lets the operator change the benchmark within the scale', async () => {
    const onBenchmarkChange = vi.fn();
    render(<CsatReportView report={csatReport()} onBenchmarkChange={onBenchmarkChange} />);
    const select = screen.getByLabelText('Benchmark');
    expect(
      within(select)
        .getAllByRole('option')
        .map((option) => option.textContent),
    ).toEqual(['1 or more', '2 or more', '3 or more', '4 or more', '5 only']);
    await userEvent.selectOptions(select, '5');
    expect(onBenchmarkChange).toHaveBeenCalledWith(5);
  });

  it('shows NPS signed, with its definition, and no benchmark', () => {
    render(
      <CsatReportView
        report={csatReport({
          metric: 'nps',
          scale: { min: 0, max: 10 },
          score: 20,
          distribution: [
            { value: 10, count: 3 },
            { value: 8, count: 1 },
            { value: 3, count: 1 },
          ],
        })}
        onBenchmarkChange={() => {}}
      />,
    );
    expect(within(screen.getByTestId('csat-headline')).getByText('NPS')).toBeTruthy();
    expect(screen.getByTestId('csat-score').textContent).toBe('+20.0');
    expect(screen.getByTestId('csat-explanation').textContent).toBe(
      'NPS = % promoters (9–10) − % detractors (0–6), from −100 to +100',
    );
    expect(screen.queryByLabelText('Benchmark')).toBeNull();
    const tones = Object.fromEntries(
      screen
        .getAllByTestId('bar')
        .map((bar) => [bar.getAttribute('data-label'), bar.querySelector('rect')?.getAttribute('class')]),
    );
    expect(tones['10']).toContain('--good');
    expect(tones['8']).toContain('--neutral');
    expect(tones['3']).toContain('--bad');
  });

  it('shows CES as a mean on its scale', () => {
    render(
      <CsatReportView
        report={csatReport({ metric: 'ces', scale: { min: 1, max: 7 }, score: 5.25, average: 5.25 })}
        onBenchmarkChange={() => {}}
      />,
    );
    expect(within(screen.getByTestId('csat-headline')).getByText('CES')).toBeTruthy();
    expect(screen.getByTestId('csat-score').textContent).toBe('5.3');
    expect(screen.getByTestId('csat-explanation').textContent).toBe(
      'CES = the mean of all answers, on a scale from 1 to 7',
    );
  });

  it('says why it is empty when nothing was answered', () => {
    render(
      <CsatReportView
        report={csatReport({
          asked: 3,
          answered: 0,
          responseRate: 0,
          score: null,
          average: null,
          distribution: [],
          byDay: [],
          byAgent: [],
          byChannel: [],
          byConnection: [],
          byInbox: [],
        })}
        onBenchmarkChange={() => {}}
      />,
    );
    expect(screen.getByTestId('csat-score').textContent).toBe('—');
    expect(screen.getByTestId('csat-empty').textContent).toContain('asked 3 times; no contact has answered yet');
    expect(screen.queryByTestId('bar-chart')).toBeNull();
  });

  it('shows the answers by connection and by inbox within its connection; those through none as "unknown"', () => {
    render(<CsatReportView report={csatReport()} onBenchmarkChange={() => {}} />);
    const rowsOf = (testId: string) =>
      within(screen.getByTestId(testId))
        .getAllByRole('row')
        .slice(1)
        .map((row) => [...row.children].map((cell) => cell.textContent));
    const byConnection = screen.getByRole('region', { name: 'By connection' });
    expect(within(byConnection).getByRole('columnheader', { name: /Connection/ })).toBeTruthy();
    expect(rowsOf('csat-by-connection')).toEqual([
      ['helpdesk', '4', '75.0%', '4.0'],
      ['unknown', '2', '100.0%', '4.5'],
    ]);
    const byInbox = screen.getByRole('region', { name: 'By inbox' });
    expect(within(byInbox).getByRole('columnheader', { name: /Inbox/ })).toBeTruthy();
    expect(rowsOf('csat-by-inbox')).toEqual([
      ['helpdesk/2', '3', '100.0%', '4.7'],
      ['unknown', '2', '100.0%', '4.5'],
      ['helpdesk/7', '1', '0.0%', '2.0'],
    ]);
  });

  it('sorts the agents table by the clicked column', async () => {
    render(<CsatReportView report={csatReport()} onBenchmarkChange={() => {}} />);
    const table = screen.getByTestId('csat-by-agent');
    const agents = () =>
      within(table)
        .getAllByRole('rowheader')
        .map((cell) => cell.textContent);
    expect(agents()).toEqual(['Alex', 'Bea']);
    await userEvent.click(within(table).getByRole('button', { name: /Agent/ }));
    expect(agents()).toEqual(['Alex', 'Bea']);
    await userEvent.click(within(table).getByRole('button', { name: /Agent/ }));
    expect(agents()).toEqual(['Bea', 'Alex']);
    await userEvent.click(within(table).getByRole('button', { name: /CSAT/ }));
    expect(agents()).toEqual(['Alex', 'Bea']);
    expect(within(table).getByRole('columnheader', { name: /CSAT/ }).getAttribute('aria-sort')).toBe('descending');
    expect(within(table).getAllByRole('row')[2]?.textContent).toContain('50.0%');
  });
});
