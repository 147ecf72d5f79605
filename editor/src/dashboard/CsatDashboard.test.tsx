import type { CsatReport } from '@convoflow/engine';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { apiKey } from '../api/client.ts';
import { startTestServer, type TestServer } from '../shared/testServer.ts';
import { CsatDashboard } from './CsatDashboard.tsx';

let server: TestServer | undefined;
afterEach(async () => {
  cleanup();
  apiKey.clear();
  await server?.close();
  server = undefined;
});

/** Six answers: 2, 4, 4, 5, 5, 5 — CSAT depends on the benchmark asked for. */
function report(benchmark: number, from: string, to: string): CsatReport {
  const answers = [2, 4, 4, 5, 5, 5];
  const satisfied = answers.filter((value) => value >= benchmark).length;
  return {
    workflowId: 'wf',
    nodeId: 'ask',
    metric: 'csat',
    scale: { min: 1, max: 5 },
    benchmark,
    from,
    to,
    asked: 10,
    answered: answers.length,
    responseRate: 0.6,
    score: (satisfied / answers.length) * 100,
    average: 25 / 6,
    distribution: [
      { value: 2, count: 1 },
      { value: 4, count: 2 },
      { value: 5, count: 3 },
    ],
    byDay: [{ key: to, asked: 10, answered: 6, score: (satisfied / answers.length) * 100, average: 25 / 6 }],
    byAgent: [{ key: 'Alex', answered: 6, score: (satisfied / answers.length) * 100, average: 25 / 6 }],
    byChannel: [{ key: 'whatsapp', answered: 6, score: (satisfied / answers.length) * 100, average: 25 / 6 }],
    byConnection: [{ key: 'helpdesk', answered: 6, score: (satisfied / answers.length) * 100, average: 25 / 6 }],
    byInbox: [{ key: 'helpdesk/2', answered: 6, score: (satisfied / answers.length) * 100, average: 25 / 6 }],
  };
}

describe('CsatDashboard', () => {
  it('loads the last 30 days, re-asks with the benchmark the operator picks, and exports the CSV with the key', async () => {
    server = await startTestServer({
      'GET /api/workflows/wf/csat': ({ url }) => ({
        json: report(
          Number(url.searchParams.get('benchmark') ?? 4),
          url.searchParams.get('from') ?? '',
          url.searchParams.get('to') ?? '',
        ),
      }),
      'GET /api/workflows/wf/csat/answers.csv': ({ headers }) =>
        headers.authorization === 'Bearer secret-key'
          ? { text: 'date,conversation,value\n2026-11-23,conv-1,5\n', contentType: 'text/csv' }
          : { status: 401, json: { code: 'UNAUTHORIZED', message: 'Missing or wrong API key' } },
    });
    apiKey.set('secret-key');
    render(<CsatDashboard workflowId="wf" />);

    expect((await screen.findByTestId('csat-score')).textContent).toBe('83.3%');
    const first = server.requests[0]!.url.searchParams;
    const days = (Date.parse(first.get('to')!) - Date.parse(first.get('from')!)) / 86_400_000;
    expect(days).toBe(29);
    expect(screen.getByTestId('response-rate').textContent).toBe('60.0%');

    await userEvent.selectOptions(screen.getByLabelText('Benchmark'), '5');
    await waitFor(() => expect(screen.getByTestId('csat-score').textContent).toBe('50.0%'));
    expect(screen.getByTestId('csat-explanation').textContent).toBe('CSAT = answers ≥ 5 ÷ all answers');

    await userEvent.click(screen.getByRole('button', { name: '7 days' }));
    await waitFor(() => {
      const last = server!.requests.at(-1)!.url.searchParams;
      expect((Date.parse(last.get('to')!) - Date.parse(last.get('from')!)) / 86_400_000).toBe(6);
      expect(last.get('benchmark')).toBe('5');
    });

    const downloads: Blob[] = [];
    const createObjectURL = vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      if (blob instanceof Blob) downloads.push(blob);
      return 'blob:csv';
    });
    const exportButton = screen.getByRole<HTMLButtonElement>('button', { name: 'Export CSV' });
    await userEvent.click(exportButton);
    await waitFor(() => expect(downloads).toHaveLength(1));
    await waitFor(() => expect(exportButton.disabled).toBe(false));
    createObjectURL.mockRestore();
    expect(await downloads[0]!.text()).toBe('date,conversation,value\n2026-11-23,conv-1,5\n');
    const csv = server.requests.find((request) => request.url.pathname.endsWith('answers.csv'));
    expect(csv?.headers.authorization).toBe('Bearer secret-key');
    expect(csv?.url.searchParams.get('benchmark')).toBe('5');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('asks for a custom range starting from the preset it replaces', async () => {
    server = await startTestServer({
      'GET /api/workflows/wf/csat': ({ url }) => ({
        json: report(4, url.searchParams.get('from') ?? '', url.searchParams.get('to') ?? ''),
      }),
    });
    render(<CsatDashboard workflowId="wf" />);
    await screen.findByTestId('csat-score');
    const presetTo = server.requests[0]!.url.searchParams.get('to');

    await userEvent.click(screen.getByRole('button', { name: 'Custom' }));
    expect(screen.getByLabelText<HTMLInputElement>('To').value).toBe(presetTo);
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-01-01' } });
    await waitFor(() => expect(server!.requests.at(-1)?.url.searchParams.get('from')).toBe('2026-01-01'));
    expect(server.requests.at(-1)?.url.searchParams.get('to')).toBe(presetTo);
  });

  it('tells the operator what to do when the server cannot read Redis', async () => {
    server = await startTestServer({
      'GET /api/workflows/wf/csat': () => ({
        status: 503,
        json: { code: 'REDIS_UNAVAILABLE', message: 'Redis at 127.0.0.1:6379 does not answer' },
      }),
    });
    render(<CsatDashboard workflowId="wf" />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The report could not be loaded: Redis at 127.0.0.1:6379 does not answer');
    expect(alert.textContent).toContain('Start Redis');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  });
});
