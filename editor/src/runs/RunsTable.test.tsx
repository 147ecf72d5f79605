import type { RunSummary } from '@convoflow/engine';
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RunsTable } from './RunsTable.tsx';

afterEach(cleanup);

const now = Date.UTC(2026, 10, 23, 12, 0, 0);

function summary(overrides: Partial<RunSummary>): RunSummary {
  return {
    id: 'run',
    test: false,
    workflowId: 'wf',
    workflowVersion: 2,
    status: 'completed',
    trigger: 'conversation.closed',
    conversationId: 'conv-1',
    contactId: 'c-1',
    currentNodeId: null,
    createdAt: now - 5 * 60_000,
    updatedAt: now - 4 * 60_000,
    endedAt: now - 4 * 60_000,
    outcome: 'completed',
    failedSteps: [],
    ...overrides,
  };
}

describe('RunsTable', () => {
  const runs = [
    summary({ id: 'run-a', contactName: 'Ana', status: 'completed' }),
    summary({
      id: 'run-b',
      contactId: 'c-2',
      conversationId: 'sim-9',
      status: 'waiting',
      test: true,
      endedAt: null,
      outcome: null,
      failedSteps: [],
      createdAt: now - 90_000,
    }),
  ];

  it('shows status, contact, conversation, start and duration, with a test badge', () => {
    render(<RunsTable runs={runs} now={now} onOpenRun={() => {}} />);
    const rows = screen.getAllByTestId('run-row');
    expect(rows).toHaveLength(2);
    const [first, second] = rows.map((row) =>
      within(row)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    );
    expect(first).toEqual(['Completed', 'Ana', 'conv-1', '5 minutes ago', '1 min']);
    expect(second).toEqual(['WaitingTest', 'c-2', 'sim-9', '1 minute ago', '1 min 30 s']);
    expect(within(rows[0]!).getByRole('time').getAttribute('title')).toContain('2026');
    expect(screen.queryByRole('columnheader', { name: 'Workflow' })).toBeNull();
  });

  it('opens a run from its row or its contact button', async () => {
    const onOpenRun = vi.fn();
    render(<RunsTable runs={runs} now={now} onOpenRun={onOpenRun} showWorkflow />);
    await userEvent.click(screen.getByRole('button', { name: 'Ana' }));
    expect(onOpenRun).toHaveBeenLastCalledWith('run-a');
    await userEvent.click(screen.getByText('sim-9'));
    expect(onOpenRun).toHaveBeenLastCalledWith('run-b');
    expect(onOpenRun).toHaveBeenCalledTimes(2);
    expect(screen.getByRole('columnheader', { name: 'Workflow' })).toBeTruthy();
  });
});
