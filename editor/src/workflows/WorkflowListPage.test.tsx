import type { WorkflowListItem } from '@convoflow/engine';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { type Reply, startTestServer, type TestServer } from '../shared/testServer.ts';
import { WorkflowListPage } from './WorkflowListPage.tsx';

const item = (activeRuns: number): WorkflowListItem => ({
  id: 'csat',
  name: 'CSAT survey',
  status: 'published',
  hasUnpublishedChanges: false,
  publishedVersion: 2,
  activeRuns,
  createdAt: 1,
  updatedAt: 1,
  triggerType: 'trigger.conversationClosed',
  runsLast24h: 5,
  failuresLast24h: 0,
});

let server: TestServer;
afterEach(async () => {
  cleanup();
  await server.close();
});

/** The list with one workflow; `refusals` answer the first DELETEs, then it is deleted (204). */
async function openDeleteDialog(activeRuns: number, refusals: Reply[] = []) {
  let gone = false;
  server = await startTestServer({
    'GET /api/workflows': () => ({ json: gone ? [] : [item(activeRuns)] }),
    'DELETE /api/workflows/csat': () => {
      const refusal = refusals.shift();
      gone = refusal === undefined;
      return refusal ?? { status: 204 };
    },
  });
  render(<WorkflowListPage />);
  fireEvent.click(await screen.findByRole('button', { name: 'Delete CSAT survey' }));
  return screen.getByTestId('confirm-delete');
}

const deletes = () => server.requests.filter((request) => request.method === 'DELETE');
const submit = (dialog: HTMLElement) => fireEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));

describe('the list', () => {
  it('says when each workflow was last edited in words', async () => {
    const minuteAgo = { ...item(0), updatedAt: Date.now() - 61_000 };
    server = await startTestServer({ 'GET /api/workflows': () => ({ json: [minuteAgo] }) });
    render(<WorkflowListPage />);
    const row = await screen.findByTestId('workflow-row-csat');
    expect(within(row).getByText('1 minute ago')).toBeTruthy();
  });
});

describe('the failures beside the runs', () => {
  it('shows the runs that failed in the last 24 h, linking to the workflow’s failed runs', async () => {
    server = await startTestServer({ 'GET /api/workflows': () => ({ json: [{ ...item(0), failuresLast24h: 3 }] }) });
    render(<WorkflowListPage />);
    const link = await screen.findByTestId('workflow-failures');
    expect(link.textContent).toBe('3 failed');
    expect(link.getAttribute('href')).toBe('#/workflows/csat/runs?outcome=any_failure');
  });

  it('shows none when no run failed', async () => {
    server = await startTestServer({ 'GET /api/workflows': () => ({ json: [item(0)] }) });
    render(<WorkflowListPage />);
    await screen.findByTestId('workflow-row-csat');
    expect(screen.queryByTestId('workflow-failures')).toBeNull();
  });
});

describe('deleting a workflow from the list', () => {
  it('says how many runs are in progress and sends the chosen fate of them', async () => {
    const dialog = await openDeleteDialog(2);
    expect(within(dialog).getByTestId('active-runs-choice').textContent).toContain(
      '2 runs of this workflow are in progress',
    );

    submit(dialog);
    expect((await within(dialog).findByRole('alert')).textContent).toBe(
      'Choose what happens to the 2 runs in progress.',
    );
    expect(deletes()).toEqual([]);

    fireEvent.click(within(dialog).getByRole('radio', { name: 'Cancel them now' }));
    submit(dialog);
    await screen.findByText('No workflows yet.');
    expect(deletes().map((request) => request.url.search)).toEqual(['?activeRuns=cancel']);
  });

  it('asks nothing without runs in progress, and asks once the server reports runs that started meanwhile', async () => {
    const dialog = await openDeleteDialog(0, [
      {
        status: 409,
        json: { code: 'ACTIVE_RUNS', message: 'Workflow "csat" has 1 active run', details: { activeRuns: 1 } },
      },
    ]);
    expect(within(dialog).queryByTestId('active-runs-choice')).toBeNull();

    submit(dialog);
    expect((await within(dialog).findByRole('alert')).textContent).toBe(
      '1 run started meanwhile: choose what happens to them.',
    );
    expect(within(dialog).getByTestId('active-runs-choice').textContent).toContain(
      '1 run of this workflow is in progress',
    );

    fireEvent.click(within(dialog).getByRole('radio', { name: 'Let it finish on the version it started on' }));
    submit(dialog);
    await screen.findByText('No workflows yet.');
    expect(deletes().map((request) => request.url.search)).toEqual(['', '?activeRuns=finish']);
  });
});

describe('renaming a workflow from the list', () => {
  const draft = (revision: number, name: string) => ({
    ...item(0),
    name,
    nodes: [],
    edges: [],
    settings: { reenrollment: { mode: 'always' } },
    versions: [],
    revision,
    savedBy: null,
  });

  it('saves from the revision it opened and, when someone saved since, says who and renames theirs next', async () => {
    let current = draft(3, 'CSAT survey');
    server = await startTestServer({
      'GET /api/workflows': () => ({ json: [item(0)] }),
      'GET /api/workflows/csat': () => {
        const served = current;
        // A colleague saves right after the dialog read the draft.
        if (served.revision === 3) current = draft(4, 'CSAT survey (Ana)');
        return { json: served };
      },
      'PUT /api/workflows/csat': (request) => {
        const body = request.body as { baseRevision: number; name: string };
        if (body.baseRevision !== current.revision) {
          return {
            status: 409,
            json: {
              code: 'DRAFT_CHANGED',
              message: 'The draft was saved by someone else since you loaded it.',
              details: { revision: current.revision, savedAt: Date.now(), savedBy: 'Ana' },
            },
          };
        }
        current = draft(current.revision + 1, body.name);
        return { json: current };
      },
    });
    render(<WorkflowListPage />);
    fireEvent.click(await screen.findByRole('button', { name: 'Rename CSAT survey' }));
    const dialog = screen.getByTestId('rename-dialog');
    await within(dialog).findByTestId('rename-last-saved');
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: 'After-chat survey' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Rename' }));
    const refusal = await within(dialog).findByRole('alert');
    expect(refusal.textContent).toContain('Not renamed: Ana at');
    expect(refusal.textContent).toContain('it is now called “CSAT survey (Ana)”');

    fireEvent.click(within(dialog).getByRole('button', { name: 'Rename' }));
    await waitFor(() => expect(screen.queryByTestId('rename-dialog')).toBeNull());
    const puts = server.requests.filter((request) => request.method === 'PUT');
    expect(puts.map((request) => (request.body as { baseRevision: number }).baseRevision)).toEqual([3, 4]);
    expect(current.name).toBe('After-chat survey');
    expect(puts[0]?.headers['x-editor-name']).toBeTruthy();
  });
});
