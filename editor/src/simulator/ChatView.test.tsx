import type { RunDetail } from '@convoflow/engine';
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useCanvasStore } from '../canvas/store.ts';
import { answerChoices } from './answerChoices.ts';
import { ChatView } from './ChatView.tsx';

afterEach(cleanup);

const started = Date.UTC(2026, 10, 23, 10, 0, 0);

/** A test run that ended at `started + 900`. */
const completed = (overrides: Partial<RunDetail>) =>
  run({ status: 'completed', waitingFor: null, endedAt: started + 900, outcome: 'completed', ...overrides });

function run(overrides: Partial<RunDetail> = {}): RunDetail {
  return {
    id: 'run-1',
    test: true,
    workflowId: 'wf',
    workflowVersion: 1,
    status: 'waiting',
    waitingFor: 'reply',
    trigger: 'conversation.closed',
    conversationId: 'sim-1',
    contactId: 'test-ana',
    contactName: 'Ana',
    currentNodeId: 'ask',
    createdAt: started,
    updatedAt: started + 40,
    endedAt: null,
    outcome: null,
    failedSteps: [],
    variables: {},
    steps: [
      {
        nodeId: 'start',
        nodeType: 'trigger.conversationClosed',
        startedAt: started,
        durationMs: 3,
        outcome: 'exited',
        exit: 'next',
      },
    ],
    transcript: [
      {
        from: 'bot',
        text: 'How satisfied are you with this experience?',
        quickReplies: ['1', '2', '3', '4', '5'],
        at: started + 20,
      },
    ],
    ...overrides,
  };
}

describe('ChatView', () => {
  it('shows the bot messages and offers the quick replies as star buttons that answer', async () => {
    const onReply = vi.fn();
    render(<ChatView run={run()} onReply={onReply} />);
    const messages = within(screen.getByTestId('sim-transcript')).getAllByTestId('transcript-message');
    expect(messages).toHaveLength(1);
    expect(messages[0]!.getAttribute('data-from')).toBe('bot');
    expect(messages[0]!.textContent).toContain('How satisfied are you with this experience?');
    expect(screen.getByTestId('sim-status').textContent).toContain('Waiting for the contact’s reply');

    const stars = ['1 star', '2 stars', '3 stars', '4 stars', '5 stars'].map((name) =>
      screen.getByRole('button', { name }),
    );
    expect(stars).toHaveLength(5);
    await userEvent.click(screen.getByRole('button', { name: '2 stars' }));
    expect(onReply).toHaveBeenCalledWith('2');
  });

  it('sends a typed reply', async () => {
    const onReply = vi.fn();
    render(<ChatView run={run()} onReply={onReply} />);
    await userEvent.type(screen.getByLabelText('Reply as the contact'), 'great!{Enter}');
    expect(onReply).toHaveBeenCalledWith('great!');
    expect(screen.getByLabelText<HTMLInputElement>('Reply as the contact').value).toBe('');
  });

  it('offers text quick replies as buttons', async () => {
    const onReply = vi.fn();
    render(
      <ChatView
        run={run({
          transcript: [{ from: 'bot', text: 'Which topic?', quickReplies: ['Billing', 'Shipping'], at: started }],
        })}
        onReply={onReply}
      />,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Shipping' }));
    expect(onReply).toHaveBeenCalledWith('Shipping');
    expect(screen.queryByRole('button', { name: /stars?$/ })).toBeNull();
  });

  it('shows the contact’s answers and the end of the run, with no answer controls', () => {
    render(
      <ChatView
        run={completed({
          transcript: [
            { from: 'bot', text: 'How satisfied are you?', quickReplies: ['1', '2', '3', '4', '5'], at: started },
            { from: 'contact', text: '2', at: started + 500 },
            { from: 'bot', text: 'Sorry to hear that.', at: started + 600 },
          ],
        })}
        onReply={() => {}}
      />,
    );
    const messages = screen.getAllByTestId('transcript-message');
    expect(messages.map((message) => message.getAttribute('data-from'))).toEqual(['bot', 'contact', 'bot']);
    expect(screen.getByTestId('sim-status').getAttribute('data-status')).toBe('completed');
    expect(screen.getByTestId('sim-status').textContent).toContain('Completed');
    expect(screen.queryByRole('button', { name: '2 stars' })).toBeNull();
    expect(screen.getByLabelText<HTMLInputElement>('Reply as the contact').disabled).toBe(true);
  });

  it('says which step left by a failure exit, and why, when the run ended after one', () => {
    render(
      <ChatView
        run={completed({
          outcome: 'completed_with_failures',
          failedSteps: ['sheet'],
          steps: [
            {
              nodeId: 'sheet',
              nodeType: 'googleSheets.addRow',
              startedAt: started,
              durationMs: 40,
              outcome: 'exited',
              exit: 'failure',
              note: 'Google Sheets answered 403: the service account cannot edit the spreadsheet.',
            },
          ],
        })}
        onReply={() => {}}
      />,
    );
    const status = screen.getByTestId('sim-status').textContent;
    expect(status).toContain('Completed with failures');
    expect(status).toContain(
      'The run ended, but step Google Sheets: add row (sheet) left by failure: Google Sheets answered 403: the service account cannot edit the spreadsheet.',
    );
    expect(status).not.toContain('reached the end');
  });

  it('names a failed step by the name it has on the canvas', () => {
    useCanvasStore.getState().load({
      id: 'wf',
      name: 'Ratings',
      nodes: [{ id: 'sheet', type: 'googleSheets.addRow', label: 'Ratings sheet', position: { x: 0, y: 0 }, data: {} }],
      edges: [],
      settings: { reenrollment: { mode: 'always' } },
    });
    const step = { nodeId: 'sheet', nodeType: 'googleSheets.addRow', startedAt: started, durationMs: 40 };
    render(
      <ChatView
        run={completed({
          outcome: 'completed_with_failures',
          failedSteps: ['sheet'],
          steps: [{ ...step, outcome: 'exited', exit: 'failure', note: 'Google said no.' }],
        })}
        onReply={() => {}}
      />,
    );
    expect(screen.getByTestId('sim-status').textContent).toContain(
      'The run ended, but step Ratings sheet (sheet) left by failure: Google said no.',
    );
  });

  it('shows why a run failed', () => {
    render(
      <ChatView
        run={run({
          status: 'failed',
          waitingFor: null,
          error: 'Google Sheets answered 403: the service account cannot edit spreadsheet 1AbC',
        })}
        onReply={() => {}}
      />,
    );
    expect(screen.getByTestId('sim-status').textContent).toContain('Failed');
    expect(screen.getByTestId('sim-error').textContent).toContain('cannot edit spreadsheet 1AbC');
  });

  it('disables the answers while one is being sent', () => {
    render(<ChatView run={run()} sending onReply={() => {}} />);
    expect(screen.getByRole<HTMLButtonElement>('button', { name: '3 stars' }).closest('fieldset')?.disabled).toBe(true);
  });
});

describe('answerChoices', () => {
  it('reads stars, numeric scales and options from the quick replies', () => {
    expect(answerChoices(['1', '2', '3'])).toEqual({ kind: 'stars', values: [1, 2, 3] });
    expect(answerChoices(['0', '5', '10'])).toEqual({ kind: 'numbers', values: [0, 5, 10] });
    expect(answerChoices(['Yes', 'No'])).toEqual({ kind: 'options', values: ['Yes', 'No'] });
    expect(answerChoices(undefined)).toEqual({ kind: 'stars', values: [1, 2, 3, 4, 5] });
  });
});
