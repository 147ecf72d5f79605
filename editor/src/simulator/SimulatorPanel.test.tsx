import { RunDetail, RunReply, SimulationRequest } from '@convoflow/engine';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../shared/testServer.ts';
import { SimulatorPanel } from './SimulatorPanel.tsx';

let server: TestServer | undefined;
afterEach(async () => {
  cleanup();
  await server?.close();
  server = undefined;
});

const started = Date.UTC(2026, 10, 23, 10, 0, 0);

/** A test run that asks for a rating, then completes once answered. */
function csatRunStandIn() {
  let run = RunDetail.parse({
    id: 'run-sim',
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
    updatedAt: started,
    endedAt: null,
    outcome: null,
    failedSteps: [],
    variables: { contact: { name: 'Ana' } },
    steps: [
      {
        nodeId: 'start',
        nodeType: 'trigger.conversationClosed',
        startedAt: started,
        durationMs: 2,
        outcome: 'exited',
        exit: 'next',
      },
      { nodeId: 'ask', nodeType: 'askQuestion', startedAt: started + 2, durationMs: 5, outcome: 'paused' },
    ],
    transcript: [
      { from: 'bot', text: 'How satisfied are you?', quickReplies: ['1', '2', '3', '4', '5'], at: started + 5 },
    ],
  });
  const answer = (text: string) => {
    run = RunDetail.parse({
      ...run,
      status: 'completed',
      waitingFor: null,
      currentNodeId: null,
      endedAt: started + 1000,
      outcome: 'completed',
      variables: { ...run.variables, rating: Number(text) },
      steps: [
        run.steps[0],
        { ...run.steps[1], outcome: 'exited', exit: 'answered' },
        {
          nodeId: 'sorry',
          nodeType: 'sendMessage',
          startedAt: started + 900,
          durationMs: 3,
          outcome: 'exited',
          exit: 'next',
        },
      ],
      transcript: [
        ...run.transcript,
        { from: 'contact', text, at: started + 800 },
        { from: 'bot', text: 'Sorry to hear that, we will do better.', at: started + 900 },
      ],
    });
  };
  return { get: () => run, answer };
}

describe('SimulatorPanel', () => {
  it('starts a test run for the chosen contact, answers with stars, and follows the run to its end', async () => {
    const standIn = csatRunStandIn();
    server = await startTestServer({
      'POST /api/workflows/wf/simulate': () => ({ status: 202, json: { runId: 'run-sim' } }),
      'GET /api/runs/run-sim': () => ({ json: standIn.get() }),
      'POST /api/runs/run-sim/reply': (request) => {
        standIn.answer(RunReply.parse(request.body).text);
        return { status: 202 };
      },
    });
    const onRunChange = vi.fn();
    render(<SimulatorPanel workflowId="wf" onRunChange={onRunChange} onClose={() => {}} />);

    expect(screen.getByTestId('sim-draft-note').textContent).toContain('Runs the last saved version of your draft');
    const name = screen.getByLabelText('Contact name');
    await userEvent.clear(name);
    await userEvent.type(name, 'Ana');
    await userEvent.click(screen.getByRole('button', { name: 'Start' }));

    await userEvent.click(await screen.findByRole('button', { name: '2 stars' }));
    await waitFor(() => expect(screen.getByTestId('sim-status').getAttribute('data-status')).toBe('completed'));

    const simulate = SimulationRequest.parse(
      server.requests.find((request) => request.url.pathname.endsWith('/simulate'))?.body,
    );
    expect(simulate.trigger).toBe('conversation.closed');
    expect(simulate.contact).toEqual({ id: 'test-ana', name: 'Ana' });
    expect(simulate.conversation.id).toMatch(/^sim-/);
    expect(simulate.assignee?.name).toBe('Alex Agent');

    const messages = within(screen.getByTestId('sim-transcript')).getAllByTestId('transcript-message');
    expect(messages.map((message) => message.textContent)).toEqual([
      expect.stringContaining('How satisfied are you?'),
      expect.stringContaining('2'),
      expect.stringContaining('Sorry to hear that'),
    ]);
    await waitFor(() => expect(onRunChange.mock.lastCall?.[0]?.status).toBe('completed'));
    const lastRun = RunDetail.parse(onRunChange.mock.lastCall?.[0]);
    expect(lastRun.steps.map((step) => step.nodeId)).toEqual(['start', 'ask', 'sorry']);

    await userEvent.click(screen.getByRole('button', { name: 'Change contact' }));
    expect(onRunChange).toHaveBeenLastCalledWith(null);
    expect(screen.getByLabelText<HTMLInputElement>('Contact name').value).toBe('Ana');
  });

  it('says why a run could not start and stays on the form', async () => {
    server = await startTestServer({
      'POST /api/workflows/wf/simulate': () => ({
        status: 400,
        json: { code: 'WORKFLOW_HAS_NO_TRIGGER', message: 'The draft has no trigger node: add one and save.' },
      }),
    });
    render(<SimulatorPanel workflowId="wf" onClose={() => {}} />);
    await userEvent.click(screen.getByRole('button', { name: 'Start' }));
    expect((await screen.findByRole('alert')).textContent).toContain(
      'The test run could not start: The draft has no trigger node: add one and save.',
    );
    expect(screen.getByRole('button', { name: 'Start' })).toBeTruthy();
  });
});
