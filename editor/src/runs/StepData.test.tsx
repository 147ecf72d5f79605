import type { StepLogEntry } from '@convoflow/engine';
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { formatted } from './StepData.tsx';
import { StepTimeline } from './StepTimeline.tsx';

afterEach(cleanup);

const started = Date.UTC(2026, 0, 5, 9, 0, 0);

const crm: StepLogEntry = {
  nodeId: 'crm',
  nodeType: 'http.request',
  startedAt: started + 1000,
  durationMs: 180,
  outcome: 'exited',
  exit: 'failure',
  note: 'POST https://crm.example.com/api/csat → HTTP 400',
  sent: {
    method: 'POST',
    url: 'https://crm.example.com/api/csat',
    headers: { Authorization: 'Bearer [secret:crm-token]' },
    body: { rating: 4 },
  },
  received: { status: 400, body: { error: 'rating out of range' } },
};

const plain: StepLogEntry = {
  nodeId: 'start',
  nodeType: 'trigger.conversationClosed',
  startedAt: started,
  durationMs: 1,
  outcome: 'exited',
  exit: 'next',
};

describe('a step’s data in the run detail', () => {
  it('shows Sent and Received closed, with the request line and the status on their toggles', () => {
    render(<StepTimeline steps={[plain, crm]} runStartedAt={started} />);
    const [first, second] = screen.getAllByTestId('step');
    expect(within(first!).queryByTestId('step-sent')).toBeNull();
    const sent = within(second!).getByTestId('step-sent');
    const received = within(second!).getByTestId('step-received');
    expect(sent.hasAttribute('open')).toBe(false);
    expect(within(sent).getByText('Sent')).toBeTruthy();
    expect(sent.querySelector('summary')!.textContent).toBe('SentPOST https://crm.example.com/api/csat');
    expect(received.querySelector('summary')!.textContent).toBe('Receivedstatus 400');
  });

  // Enter on the toggle is the browser's own <details> behaviour: test/browser/run-data.test.ts presses it.
  it('is reached by Tab, and opens to show the value indented', async () => {
    render(<StepTimeline steps={[crm]} runStartedAt={started} />);
    const sent = screen.getByTestId('step-sent');
    const toggle = sent.querySelector('summary')!;
    await userEvent.tab();
    expect(document.activeElement).toBe(toggle);
    await userEvent.click(toggle);
    expect(sent.hasAttribute('open')).toBe(true);
    const value = sent.querySelector('pre')!;
    expect(value.textContent).toContain('"Authorization": "Bearer [secret:crm-token]"');
    expect(value.textContent).toContain('\n  "body": {\n    "rating": 4\n  }');
  });

  it('names the row’s tab, the range written, the message and the reply on the toggles', () => {
    const sheet: StepLogEntry = {
      ...plain,
      nodeId: 'sheet',
      nodeType: 'googleSheets.addRow',
      sent: { spreadsheet: '1AbC', sheet: 'CSAT', row: { Rating: 4 } },
      received: { updatedRange: 'CSAT!A2:D2', updatedRows: 1 },
    };
    const ask: StepLogEntry = {
      ...plain,
      nodeId: 'ask',
      nodeType: 'askQuestion',
      sent: { text: 'How satisfied are you with this experience?' },
      received: { reply: ' 4 ', readAs: 4 },
    };
    render(<StepTimeline steps={[sheet, ask]} runStartedAt={started} />);
    const toggles = screen.getAllByRole('group').map((details) => details.querySelector('summary')!.textContent);
    expect(toggles).toEqual([
      'Senta row to "CSAT"',
      'ReceivedCSAT!A2:D2',
      'SentHow satisfied are you with this experience?',
      'Received“ 4 ”',
    ]);
  });

  it('shows text as it is and other values as indented JSON', () => {
    expect(formatted('thanks… (truncated, 3000 bytes)')).toBe('thanks… (truncated, 3000 bytes)');
    expect(formatted({ reply: '4', readAs: 4 })).toBe('{\n  "reply": "4",\n  "readAs": 4\n}');
  });
});
