import type { RunDetail } from '@convoflow/engine';
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RunDetailView } from './RunDetailView.tsx';
import { StepTimeline } from './StepTimeline.tsx';
import { flatten } from './VariablesTable.tsx';

afterEach(cleanup);

const started = Date.UTC(2026, 10, 23, 10, 0, 0);

const failedRun: RunDetail = {
  id: 'run-7',
  test: false,
  workflowId: 'wf',
  workflowVersion: 3,
  status: 'failed',
  waitingFor: null,
  trigger: 'conversation.closed',
  conversationId: 'conv-42',
  contactId: 'c-9',
  contactName: 'Ana',
  currentNodeId: null,
  createdAt: started,
  updatedAt: started + 65_000,
  endedAt: started + 65_000,
  outcome: 'failed',
  failedSteps: [],
  error: 'Step "sheet" failed: Google Sheets answered 403',
  variables: { contact: { name: 'Ana', id: 'c-9' }, rating: 2, crm: { status: 201 } },
  steps: [
    {
      nodeId: 'start',
      nodeType: 'trigger.conversationClosed',
      startedAt: started,
      durationMs: 4,
      outcome: 'exited',
      exit: 'next',
    },
    {
      nodeId: 'ask',
      nodeType: 'askQuestion',
      startedAt: started + 10,
      durationMs: 62_000,
      outcome: 'exited',
      exit: 'answered',
      note: 'Answer "2" after 1 retry',
    },
    {
      nodeId: 'sheet',
      nodeType: 'googleSheets.addRow',
      startedAt: started + 62_100,
      durationMs: 1250,
      outcome: 'failed',
      error: 'Google Sheets answered 403: the service account cannot edit spreadsheet 1AbC',
      warnings: ['Column "Agent" is not in the header row'],
    },
  ],
  transcript: [
    { from: 'bot', text: 'How satisfied are you?', quickReplies: ['1', '2', '3', '4', '5'], at: started + 10 },
    { from: 'contact', text: '2', at: started + 62_000 },
  ],
};

describe('RunDetailView', () => {
  it('names each step that left by a failure exit, with its reason, under a "Completed with failures" badge', () => {
    const run: RunDetail = {
      ...failedRun,
      status: 'completed',
      outcome: 'completed_with_failures',
      failedSteps: ['crm'],
      steps: [
        ...failedRun.steps.slice(0, 2),
        {
          nodeId: 'crm',
          nodeType: 'http.request',
          startedAt: started + 62_100,
          durationMs: 300,
          outcome: 'exited',
          exit: 'failure',
          note: 'The CRM answered 503 Service Unavailable',
        },
      ],
    };
    const { error: _, ...completed } = run;
    render(<RunDetailView run={completed} now={started + 100_000} />);
    expect(screen.getByTestId('run-status').textContent).toBe('Completed with failures');
    const [step, ...others] = screen.getAllByTestId('run-failed-step');
    expect(others).toEqual([]);
    expect(step?.textContent).toBe('HTTP request crm left by “failure”: The CRM answered 503 Service Unavailable');
  });

  it('lists each step with its exit, duration, errors and warnings', () => {
    render(<RunDetailView run={failedRun} now={started + 100_000} />);
    const steps = within(screen.getByTestId('step-timeline')).getAllByTestId('step');
    expect(steps.map((step) => step.getAttribute('data-node-id'))).toEqual(['start', 'ask', 'sheet']);
    // The node type's label leads; the id follows, for telling two steps of one type apart.
    expect(steps.map((step) => step.querySelector('.cf-step__node')?.textContent)).toEqual([
      'Conversation closed',
      'Ask question',
      'Google Sheets: add row',
    ]);
    expect(steps[1]!.textContent).toContain('ask');
    expect(within(steps[1]!).getByTestId('step-exit').textContent).toBe('→ answered');
    expect(within(steps[1]!).getByTestId('step-duration').textContent).toBe('1 min 2 s');
    expect(steps[1]!.textContent).toContain('+10 ms');
    expect(steps[1]!.textContent).toContain('Answer "2" after 1 retry');
    expect(within(steps[2]!).getByTestId('step-duration').textContent).toBe('1.3 s');
    expect(within(steps[2]!).queryByTestId('step-exit')).toBeNull();
    expect(within(steps[2]!).getByTestId('step-error').textContent).toContain('cannot edit spreadsheet 1AbC');
    expect(within(steps[2]!).getByTestId('step-warning').textContent).toContain(
      'Column "Agent" is not in the header row',
    );
    expect(steps[2]!.getAttribute('data-outcome')).toBe('failed');
  });

  it('shows the header facts, the run error, variables and transcript', () => {
    render(<RunDetailView run={failedRun} now={started + 100_000} />);
    expect(screen.getByTestId('run-status').textContent).toBe('Failed');
    expect(screen.getByTestId('run-error').textContent).toContain('Google Sheets answered 403');
    expect(screen.getByText('v3')).toBeTruthy();
    expect(screen.getByTestId('run-duration').textContent).toBe('1 min 5 s');
    const variables = screen.getByTestId('run-variables');
    expect(within(variables).getByRole('rowheader', { name: '$contact.name' }).nextElementSibling?.textContent).toBe(
      '"Ana"',
    );
    expect(within(variables).getByRole('rowheader', { name: '$rating' }).nextElementSibling?.textContent).toBe('2');
    const transcript = within(screen.getByTestId('run-transcript')).getAllByTestId('transcript-message');
    expect(transcript.map((message) => message.getAttribute('data-from'))).toEqual(['bot', 'contact']);
    expect(screen.queryByTestId('run-cancel')).toBeNull();
  });

  it('offers to cancel a waiting run and counts its duration up to now', async () => {
    const onCancel = vi.fn();
    const waiting: RunDetail = {
      ...failedRun,
      status: 'waiting',
      waitingFor: 'reply',
      endedAt: null,
      outcome: null,
      failedSteps: [],
      error: undefined,
      currentNodeId: 'ask',
      steps: failedRun.steps.slice(0, 1),
    };
    render(<RunDetailView run={waiting} now={started + 30_000} onCancel={onCancel} />);
    expect(screen.getByTestId('run-status').textContent).toBe('Waiting for the contact’s reply');
    expect(screen.getByTestId('run-duration').textContent).toBe('30 s');
    await userEvent.click(screen.getByRole('button', { name: 'Cancel run' }));
    await userEvent.click(screen.getByRole('button', { name: 'Keep it running' }));
    expect(onCancel).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Cancel run' }));
    await userEvent.click(screen.getByRole('button', { name: 'Yes, cancel the run' }));
    expect(onCancel).toHaveBeenCalledOnce();
  });
});

describe('StepTimeline', () => {
  it('marks an exit to a fallback branch (failure, invalid, timeout)', () => {
    render(
      <StepTimeline
        runStartedAt={started}
        steps={[
          {
            nodeId: 'ask',
            nodeType: 'askQuestion',
            startedAt: started,
            durationMs: 86_400_000,
            outcome: 'exited',
            exit: 'timeout',
          },
          {
            nodeId: 'crm',
            nodeType: 'http.request',
            startedAt: started + 86_400_000,
            durationMs: 200,
            outcome: 'exited',
            exit: 'success',
          },
        ]}
      />,
    );
    const [timeout, success] = screen.getAllByTestId('step-exit');
    expect(timeout!.className).toContain('cf-chip--warn');
    expect(success!.className).not.toContain('cf-chip--warn');
    expect(screen.getAllByTestId('step-duration')[0]!.textContent).toBe('1 d');
  });
});

describe('flatten', () => {
  it('turns nested variables into $-paths and keeps arrays whole', () => {
    expect(flatten({ contact: { name: 'Ana' }, tags: ['a', 'b'], empty: {}, n: null })).toEqual([
      ['contact.name', '"Ana"'],
      ['tags', '["a","b"]'],
      ['empty', '{}'],
      ['n', 'null'],
    ]);
  });
});
