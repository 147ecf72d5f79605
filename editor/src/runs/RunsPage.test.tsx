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

  it('says how to get runs when there are none', async () => {
    server = await startTestServer({ 'GET /api/runs': () => ({ json: [] }) });
    render(<RunsPage workflowId="wf" onOpenRun={() => {}} />);
    const empty = await screen.findByTestId('runs-empty');
    expect(empty.textContent).toContain('No runs yet');
    expect(empty.textContent).toContain('chat simulator');
  });
});
