import { RunDetail, type RunSummary } from '@convoflow/engine';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { editorName } from '../app/editorName.ts';
import { startTestServer, type TestServer } from '../shared/testServer.ts';
import { RunDetailPanel } from './RunDetailPanel.tsx';
import { RunsPage } from './RunsPage.tsx';

let server: TestServer | undefined;
afterEach(async () => {
  cleanup();
  localStorage.clear();
  await server?.close();
  server = undefined;
});

const started = Date.now() - 60_000;
/** The run's published version, read for its step names. */
const version = {
  'GET /api/workflows/wf/versions/2': () => ({ json: { id: 'wf', name: 'CSAT', nodes: [], edges: [] } }),
};
const rowFailed = RunDetail.parse({
  id: 'run-f',
  test: false,
  workflowId: 'wf',
  workflowVersion: 2,
  status: 'completed',
  waitingFor: null,
  trigger: 'conversation.closed',
  conversationId: 'conv-5',
  contactId: 'c-5',
  contactName: 'Cy',
  currentNodeId: null,
  createdAt: started,
  updatedAt: started + 10,
  endedAt: started + 10,
  outcome: 'completed_with_failures',
  failedSteps: ['sheet'],
  variables: { rating: 4 },
  steps: [
    {
      nodeId: 'start',
      nodeType: 'trigger.conversationClosed',
      startedAt: started,
      durationMs: 2,
      outcome: 'exited',
      exit: 'next',
    },
    {
      nodeId: 'sheet',
      nodeType: 'googleSheets.addRow',
      startedAt: started + 2,
      durationMs: 8,
      outcome: 'exited',
      exit: 'failure',
      note: 'Google answered 403',
    },
  ],
  transcript: [],
});

describe('Retry from the failed step', () => {
  it('asks first, retries as the named editor, and shows the new attempt after a divider', async () => {
    editorName.set('Zoë');
    let run = rowFailed;
    server = await startTestServer({
      ...version,
      'GET /api/runs/run-f': () => ({ json: run }),
      'POST /api/runs/run-f/retry': () => {
        const at = Date.now();
        run = {
          ...run,
          status: 'completed',
          outcome: 'completed',
          failedSteps: [],
          steps: [
            ...run.steps,
            {
              nodeId: 'sheet',
              nodeType: 'googleSheets.addRow',
              startedAt: at,
              durationMs: 0,
              outcome: 'retried',
              retriedBy: 'Zoë',
            },
            {
              nodeId: 'sheet',
              nodeType: 'googleSheets.addRow',
              startedAt: at,
              durationMs: 5,
              outcome: 'exited',
              exit: 'success',
            },
          ],
        };
        return { json: { ...run, status: 'running', outcome: null } };
      },
    });
    render(<RunDetailPanel runId="run-f" onClose={() => {}} />);

    await userEvent.click(await screen.findByRole('button', { name: 'Retry from Google Sheets: add row' }));
    expect(server.requests.some((request) => request.method === 'POST')).toBe(false);
    await userEvent.click(screen.getByRole('button', { name: 'Yes, retry' }));

    const divider = await screen.findByTestId('step-retried');
    expect(divider.textContent).toMatch(/^Retried from Google Sheets: add row \(sheet\) by Zoë, /);
    await waitFor(() => expect(screen.getByTestId('run-status').textContent).toBe('Completed'));
    expect(screen.queryByTestId('run-retry')).toBeNull();
    const post = server.requests.find((request) => request.method === 'POST');
    expect(post?.body).toEqual({ nodeId: 'sheet' });
    expect(post?.headers['x-editor-name']).toBe(encodeURIComponent('Zoë'));
  });

  it('says why the server refused, and offers nothing for a test run or a question that timed out', async () => {
    server = await startTestServer({
      ...version,
      'GET /api/runs/run-f': () => ({ json: rowFailed }),
      'POST /api/runs/run-f/retry': () => ({
        status: 409,
        json: {
          code: 'RUN_NOT_RETRYABLE',
          message: 'Run "run-f" cannot be retried: step "sheet" is not in version 3.',
        },
      }),
      'GET /api/runs/run-t': () => ({ json: { ...rowFailed, id: 'run-t', test: true } }),
      'GET /api/runs/run-q': () => ({
        json: {
          ...rowFailed,
          id: 'run-q',
          failedSteps: ['ask'],
          steps: [
            {
              nodeId: 'ask',
              nodeType: 'askQuestion',
              startedAt: started,
              durationMs: 1,
              outcome: 'exited',
              exit: 'timeout',
            },
          ],
        },
      }),
    });
    render(<RunDetailPanel runId="run-f" onClose={() => {}} />);
    await userEvent.click(await screen.findByTestId('run-retry'));
    await userEvent.click(screen.getByRole('button', { name: 'Yes, retry' }));
    expect((await screen.findByRole('alert')).textContent).toContain('step "sheet" is not in version 3');

    cleanup();
    render(<RunDetailPanel runId="run-t" onClose={() => {}} />);
    await screen.findByText('Test run');
    expect(screen.queryByTestId('run-retry')).toBeNull();

    // A question that timed out is not asked again: nothing to offer.
    cleanup();
    render(<RunDetailPanel runId="run-q" onClose={() => {}} />);
    await screen.findByTestId('run-failed-steps');
    expect(screen.queryByTestId('run-retry')).toBeNull();
  });
});

describe('Retry all failed runs of a step', () => {
  const failedRun = (id: string): RunSummary => ({
    id,
    test: false,
    workflowId: 'wf',
    workflowVersion: 2,
    status: 'completed',
    trigger: 'conversation.closed',
    conversationId: `conv-${id}`,
    contactId: 'c-1',
    currentNodeId: null,
    createdAt: started,
    updatedAt: started,
    endedAt: started,
    outcome: 'completed_with_failures',
    failedSteps: ['sheet'],
  });

  /** The workflow whose Sheets step the runs failed at. */
  const sheetWorkflow = {
    'GET /api/workflows/wf': () => ({
      json: {
        id: 'wf',
        nodes: [
          { id: 'start', type: 'trigger.conversationClosed', position: { x: 0, y: 0 }, data: {} },
          { id: 'sheet', type: 'googleSheets.addRow', position: { x: 0, y: 100 }, data: {} },
        ],
      },
    }),
  };

  it('is offered on the list filtered by a failed step, names the count, and reports retried and skipped runs', async () => {
    let listed = [failedRun('r1'), failedRun('r2'), failedRun('r3')];
    server = await startTestServer({
      ...sheetWorkflow,
      'GET /api/runs': ({ url }) => ({ json: url.searchParams.get('nodeId') === 'sheet' ? listed : [] }),
      'POST /api/workflows/wf/runs/retry': () => {
        listed = [failedRun('r3')];
        return {
          json: {
            retried: ['r1', 'r2'],
            skipped: [{ runId: 'r3', reason: 'it was cancelled' }],
            limit: 1000,
            more: false,
          },
        };
      },
    });
    render(<RunsPage workflowId="wf" onOpenRun={() => {}} />);
    await screen.findByTestId('runs-empty');
    expect(screen.queryByTestId('bulk-retry')).toBeNull();

    await userEvent.selectOptions(await screen.findByLabelText('Failed at step'), 'sheet');
    await userEvent.click(await screen.findByRole('button', { name: 'Retry all 3 failed runs of this step' }));
    expect(screen.getByTestId('bulk-retry').textContent).toContain(
      'Retry all 3 failed runs of Google Sheets: add row (sheet)?',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Yes, retry all 3' }));

    const report = await screen.findByTestId('bulk-retry-result');
    expect(report.textContent).toContain(
      'Retried 2 runs: running again from the step, they leave this list; skipped 1:',
    );
    expect(report.textContent).toContain('r3: it was cancelled');
    expect(server.requests.find((request) => request.method === 'POST')?.body).toEqual({ nodeId: 'sheet' });
    await waitFor(() => expect(screen.getAllByTestId('run-row')).toHaveLength(1));
  });

  it('is not offered while a conversation, status or outcome narrows the list below what it would retry', async () => {
    server = await startTestServer({
      ...sheetWorkflow,
      'GET /api/runs': () => ({ json: [failedRun('r1')] }),
    });
    render(<RunsPage workflowId="wf" onOpenRun={() => {}} />);
    await userEvent.selectOptions(await screen.findByLabelText('Failed at step'), 'sheet');
    await screen.findByRole('button', { name: 'Retry all 1 failed run of this step' });

    await userEvent.type(screen.getByLabelText('Conversation id'), 'conv-r1');
    await screen.findByTestId('bulk-retry-narrowed');
    expect(screen.queryByTestId('bulk-retry')).toBeNull();
    await userEvent.clear(screen.getByLabelText('Conversation id'));
    await userEvent.selectOptions(screen.getByLabelText('Outcome'), 'failed');
    expect(screen.getByTestId('bulk-retry-narrowed')).toBeTruthy();
    expect(screen.queryByTestId('bulk-retry')).toBeNull();
  });
});
