import { RunDetail } from '@convoflow/engine';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../shared/testServer.ts';
import { RunDetailPanel } from './RunDetailPanel.tsx';

let server: TestServer | undefined;
afterEach(async () => {
  cleanup();
  await server?.close();
  server = undefined;
});

const started = Date.now() - 60_000;
const waitingRun = RunDetail.parse({
  id: 'run-w',
  test: false,
  workflowId: 'wf',
  workflowVersion: 4,
  status: 'waiting',
  waitingFor: 'reply',
  trigger: 'conversation.closed',
  conversationId: 'conv-5',
  contactId: 'c-5',
  contactName: 'Cy',
  currentNodeId: 'ask',
  createdAt: started,
  updatedAt: started + 10,
  endedAt: null,
  outcome: null,
  failedSteps: [],
  variables: { contact: { name: 'Cy' } },
  steps: [
    {
      nodeId: 'start',
      nodeType: 'trigger.conversationClosed',
      startedAt: started,
      durationMs: 2,
      outcome: 'exited',
      exit: 'next',
    },
    { nodeId: 'ask', nodeType: 'askQuestion', startedAt: started + 2, durationMs: 8, outcome: 'paused' },
  ],
  transcript: [{ from: 'bot', text: 'How satisfied are you?', at: started + 10 }],
});

describe('RunDetailPanel', () => {
  it('reports the path to the canvas and cancels a waiting run', async () => {
    let run = waitingRun;
    server = await startTestServer({
      'GET /api/runs/run-w': () => ({ json: run }),
      'POST /api/runs/run-w/cancel': () => {
        run = { ...run, status: 'cancelled', waitingFor: null, endedAt: Date.now() };
        return { json: run };
      },
    });
    const onPath = vi.fn();
    render(<RunDetailPanel runId="run-w" onPath={onPath} onClose={() => {}} />);

    await waitFor(() =>
      expect(onPath).toHaveBeenLastCalledWith([
        expect.objectContaining({ nodeId: 'start' }),
        expect.objectContaining({ nodeId: 'ask' }),
      ]),
    );
    expect(screen.getByRole('heading', { name: 'Run for Cy' })).toBeTruthy();
    expect(screen.getByText('v4')).toBeTruthy();

    await userEvent.click(screen.getByRole('button', { name: 'Cancel run' }));
    expect(server.requests.some((request) => request.method === 'POST')).toBe(false);
    await userEvent.click(screen.getByRole('button', { name: 'Yes, cancel the run' }));
    await waitFor(() => expect(screen.getByTestId('run-status').textContent).toBe('Cancelled'));
    expect(screen.queryByRole('button', { name: 'Cancel run' })).toBeNull();
    expect(server.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
  });

  it('explains a missing run', async () => {
    server = await startTestServer({});
    render(<RunDetailPanel runId="gone" onClose={() => {}} />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The run could not be read: No route GET /api/runs/gone');
    expect(alert.textContent).toContain('It may have been deleted');
  });
});
