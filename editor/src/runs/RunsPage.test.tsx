import type { RunSummary } from '@convoflow/engine';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../shared/testServer.ts';
import { RunsPage } from './RunsPage.tsx';

let server: TestServer | undefined;
afterEach(async () => {
  cleanup();
  await server?.close();
  server = undefined;
});

const now = Date.now();
const runs: RunSummary[] = [
  {
    id: 'run-ok',
    test: false,
    workflowId: 'wf',
    workflowVersion: 2,
    status: 'completed',
    trigger: 'conversation.closed',
    conversationId: 'conv-1',
    contactId: 'c-1',
    contactName: 'Ana',
    currentNodeId: null,
    createdAt: now - 60_000,
    updatedAt: now - 50_000,
    endedAt: now - 50_000,
    outcome: 'completed',
    failedSteps: [],
  },
  {
    id: 'run-bad',
    test: false,
    workflowId: 'wf',
    workflowVersion: 2,
    status: 'failed',
    trigger: 'conversation.closed',
    conversationId: 'conv-2',
    contactId: 'c-2',
    contactName: 'Bo',
    currentNodeId: null,
    createdAt: now - 30_000,
    updatedAt: now - 20_000,
    endedAt: now - 20_000,
    outcome: 'failed',
    failedSteps: [],
    error: 'CRM answered 500',
  },
];

describe('RunsPage', () => {
  it('lists the workflow’s runs, filters them on the server, and opens one', async () => {
    server = await startTestServer({
      'GET /api/runs': ({ url }) => ({
        json: runs.filter(
          (run) =>
            run.workflowId === url.searchParams.get('workflowId') &&
            (!url.searchParams.has('status') || run.status === url.searchParams.get('status')),
        ),
      }),
    });
    const onOpenRun = vi.fn();
    render(<RunsPage workflowId="wf" onOpenRun={onOpenRun} />);
    await waitFor(() => expect(screen.getAllByTestId('run-row')).toHaveLength(2));

    await userEvent.selectOptions(screen.getByLabelText('Status'), 'failed');
    await waitFor(() => expect(screen.getAllByTestId('run-row')).toHaveLength(1));
    expect(screen.getByTestId('run-row').textContent).toContain('CRM answered 500');
    expect(server.requests.at(-1)?.url.searchParams.get('status')).toBe('failed');

    await userEvent.click(screen.getByRole('button', { name: 'Bo' }));
    expect(onOpenRun).toHaveBeenCalledWith('run-bad');
  });

  it('filters by outcome, by the step that failed and by dates, and says which runs of how many it shows', async () => {
    const withFailures: RunSummary = {
      ...(runs[0] as RunSummary),
      id: 'run-amber',
      contactName: 'Cy',
      outcome: 'completed_with_failures',
      failedSteps: ['crm'],
    };
    server = await startTestServer({
      'GET /api/workflows/wf': () => ({
        json: {
          id: 'wf',
          nodes: [
            { id: 'start', type: 'trigger.conversationClosed', position: { x: 0, y: 0 }, data: {} },
            { id: 'crm', type: 'http.request', position: { x: 0, y: 100 }, data: {} },
            { id: 'thanks', type: 'sendMessage', position: { x: 0, y: 200 }, data: {} },
          ],
        },
      }),
      'GET /api/runs': ({ url }) => ({
        json: url.searchParams.get('outcome') === 'completed_with_failures' ? [withFailures] : [...runs, withFailures],
      }),
    });
    window.location.hash = '#/workflows/wf/runs?outcome=completed_with_failures';
    render(<RunsPage workflowId="wf" onOpenRun={() => {}} />);
    await waitFor(() => expect(screen.getAllByTestId('run-row')).toHaveLength(1));
    expect(screen.getByLabelText('Outcome')).toHaveProperty('value', 'completed_with_failures');
    const badge = screen.getByTestId('run-status');
    expect(badge.textContent).toBe('Completed with failures');
    expect(badge.dataset.outcome).toBe('completed_with_failures');
    expect(screen.getByTestId('run-failed-steps').textContent).toContain('crm');
    expect(screen.getByTestId('runs-range').textContent).toBe('1–1 of 1');

    const stepFilter = await screen.findByLabelText('Failed at step');
    expect([...stepFilter.querySelectorAll('option')].map((option) => option.value)).toEqual(['', 'crm']);
    await userEvent.selectOptions(stepFilter, 'crm');
    await userEvent.type(screen.getByLabelText('Started from'), '2026-11-02');
    await waitFor(() => expect(server?.requests.at(-1)?.url.searchParams.get('from')).toBeTruthy());
    const sent = server.requests.at(-1)?.url.searchParams;
    expect(sent?.get('nodeId')).toBe('crm');
    expect(new Date(sent?.get('from') ?? '').getTime()).toBe(new Date('2026-11-02T00:00:00').getTime());
    expect(sent?.get('offset')).toBe('0');
    // The address keeps the filters: a reload opens the list as it is now.
    expect(window.location.hash).toBe('#/workflows/wf/runs?outcome=completed_with_failures&nodeId=crm&from=2026-11-02');

    await userEvent.selectOptions(screen.getByLabelText('Outcome'), '');
    await waitFor(() => expect(screen.getAllByTestId('run-row')).toHaveLength(3));
    expect(screen.getByTestId('runs-range').textContent).toBe('1–3 of 3');
    expect(screen.getByRole('button', { name: 'Next' })).toHaveProperty('disabled', true);
  });

  it('says how to get runs when there are none', async () => {
    server = await startTestServer({ 'GET /api/runs': () => ({ json: [] }) });
    render(<RunsPage workflowId="wf" onOpenRun={() => {}} />);
    const empty = await screen.findByTestId('runs-empty');
    expect(empty.textContent).toContain('No runs yet');
    expect(empty.textContent).toContain('chat simulator');
  });
});
