import type { WorkflowRecord } from '@convoflow/engine';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EditorTab, useRoute } from '../app/route.ts';
import { startTestServer, type TestServer } from '../shared/testServer.ts';
import { csatWorkflow } from './csat.fixture.ts';
import EditorPage from './EditorPage.tsx';
import { useCanvasStore } from './store.ts';

const record: WorkflowRecord = {
  ...structuredClone(csatWorkflow),
  nodes: csatWorkflow.nodes.map((node) => ({ ...node, data: node.data ?? {} })),
  settings: { reenrollment: { mode: 'always' } },
  status: 'draft',
  hasUnpublishedChanges: false,
  publishedVersion: null,
  versions: [],
  activeRuns: 0,
  createdAt: 1,
  updatedAt: 1,
  revision: 4,
  savedBy: null,
};

const problem = { nodeId: 'ask', field: 'question', message: 'write the question to ask' };

let server: TestServer;

beforeEach(async () => {
  server = await startTestServer({
    'GET /api/workflows/csat': () => ({ json: record }),
    'POST /api/workflows/csat/publish': () => ({
      status: 422,
      json: { code: 'WORKFLOW_INVALID', message: 'The workflow has problems', details: { problems: [problem] } },
    }),
    'GET /api/runs': () => ({ json: [] }),
  });
});

afterEach(async () => {
  cleanup();
  await server.close();
});

const page = (tab: EditorTab) => <EditorPage route={{ page: 'workflow', workflowId: 'csat', tab }} />;

describe('EditorPage', () => {
  it('announces a refused publish at the bottom of the canvas, and drops it on a tab change', async () => {
    const view = render(page('design'));
    await screen.findByTestId('node-ask');

    fireEvent.click(screen.getByTestId('publish-button'));
    fireEvent.submit(screen.getByTestId('publish-dialog'));
    const notice = await screen.findByTestId('notice');
    expect(notice.textContent).toContain('Publish refused: fix the 1 problem');
    expect(notice.getAttribute('role')).toBe('alert');
    expect(notice.parentElement?.getAttribute('aria-live')).toBe('polite');
    expect(notice.closest('.editor__main')).not.toBeNull();
    await waitFor(() => expect(screen.getByTestId('problem').getAttribute('data-node-id')).toBe('ask'));

    view.rerender(page('runs'));
    expect(screen.queryByTestId('notice')).toBeNull();
    await screen.findByTestId('runs-empty');
  });

  it('unpublishes after the operator chose what happens to the runs in progress', async () => {
    await server.close();
    const published: WorkflowRecord = { ...record, status: 'published', publishedVersion: 3, activeRuns: 1 };
    server = await startTestServer({
      'GET /api/workflows/csat': () => ({ json: published }),
      'POST /api/workflows/csat/unpublish': () => ({
        json: { ...published, status: 'draft', publishedVersion: null, activeRuns: 0 },
      }),
    });
    render(page('design'));
    await screen.findByTestId('node-ask');
    expect(screen.getByTestId('workflow-status').textContent).toContain('v3 live');

    // happy-dom's window is 1024 px wide: the secondary actions sit in the toolbar's "More".
    fireEvent.click(screen.getByTestId('more-actions'));
    fireEvent.click(screen.getByTestId('unpublish-button'));
    const dialog = await screen.findByTestId('confirm-unpublish');
    expect(within(dialog).getByTestId('active-runs-choice').textContent).toContain(
      '1 run of this workflow is in progress',
    );
    fireEvent.click(within(dialog).getByRole('radio', { name: 'Cancel it now' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Unpublish' }));

    expect((await screen.findByTestId('notice')).textContent).toContain('Unpublished');
    expect(screen.queryByTestId('confirm-unpublish')).toBeNull();
    expect(screen.getByTestId('workflow-status').textContent).toContain('Draft');
    expect(screen.queryByTestId('unpublish-button')).toBeNull();
    const unpublish = server.requests.find((request) => request.url.pathname.endsWith('/unpublish'));
    expect(unpublish?.url.search).toBe('?activeRuns=cancel');
  });

  it('clears the highlighted path when the view changes', async () => {
    const view = render(page('design'));
    await screen.findByTestId('node-ask');
    act(() => useCanvasStore.getState().highlightPath([{ nodeId: 'start', exit: 'next' }, { nodeId: 'ask' }]));
    await waitFor(() => expect(screen.getByTestId('node-ask').className).toContain('node-card--lit'));

    view.rerender(page('runs'));
    expect(useCanvasStore.getState().highlight.nodes.size).toBe(0);
    await waitFor(() => expect(screen.getByTestId('node-ask').className).not.toContain('node-card--lit'));
    await screen.findByTestId('runs-empty');
  });

  describe('when someone else saved the draft since it was loaded', () => {
    const theirs: WorkflowRecord = { ...record, name: 'Their name', revision: 7, savedBy: 'Grace', updatedAt: 2 };
    const refusal = {
      status: 409,
      json: {
        code: 'DRAFT_CHANGED',
        message: 'The draft was saved by Grace',
        details: { revision: 7, savedAt: new Date().setHours(14, 2, 0, 0), savedBy: 'Grace' },
      },
    };

    async function editAndSave(reads: WorkflowRecord[], saves: Array<() => { status?: number; json: unknown }>) {
      await server.close();
      server = await startTestServer({
        'GET /api/workflows/csat': () => ({ json: reads.length > 1 ? reads.shift() : reads[0] }),
        'PUT /api/workflows/csat': () => (saves.shift() ?? (() => ({ status: 500, json: {} })))(),
        'POST /api/workflows/csat/validate': () => ({ json: { valid: true, problems: [] } }),
      });
      localStorage.setItem('convoflow.editorName', 'Ada Lovelace');
      render(page('design'));
      await screen.findByTestId('node-ask');
      fireEvent.change(screen.getByTestId('workflow-name'), { target: { value: 'My name' } });
      fireEvent.click(screen.getByTestId('save-button'));
      return screen.findByTestId('conflict-dialog');
    }

    const puts = () => server.requests.filter((request) => request.method === 'PUT');

    it('saves from the loaded revision under the editor name, and says who saved when it is refused', async () => {
      const dialog = await editAndSave([record], [() => refusal]);
      expect(puts()[0]?.body).toMatchObject({ name: 'My name', baseRevision: 4 });
      expect(puts()[0]?.headers['x-editor-name']).toBe('Ada%20Lovelace');
      expect(dialog.textContent).toMatch(
        /Someone else saved this workflow \(Grace at (02:02 PM|14:02)\) since you opened it\./,
      );
      expect(screen.getByTestId('dirty-marker')).toBeTruthy();
    });

    it('overwrites their draft by saving again from their revision, and is then saved', async () => {
      const dialog = await editAndSave(
        [record],
        [() => refusal, () => ({ json: { ...theirs, name: 'My name', revision: 8 } })],
      );
      fireEvent.click(within(dialog).getByRole('button', { name: 'Overwrite' }));
      await waitFor(() => expect(screen.getByTestId('notice').textContent).toContain('Saved.'));
      expect(screen.queryByTestId('dirty-marker')).toBeNull();
      expect(screen.queryByTestId('conflict-dialog')).toBeNull();
      expect(puts()[1]?.body).toMatchObject({ name: 'My name', baseRevision: 7 });
    });

    it('reloads their draft in place of the edits, and saves from their revision next', async () => {
      const dialog = await editAndSave([record, theirs], [() => refusal, () => ({ json: { ...theirs, revision: 8 } })]);
      fireEvent.click(within(dialog).getByRole('button', { name: 'Reload theirs' }));
      await waitFor(() => expect((screen.getByTestId('workflow-name') as HTMLInputElement).value).toBe('Their name'));
      expect(screen.queryByTestId('dirty-marker')).toBeNull();
      expect(screen.queryByTestId('conflict-dialog')).toBeNull();

      fireEvent.change(screen.getByTestId('workflow-name'), { target: { value: 'Edited again' } });
      fireEvent.click(screen.getByTestId('save-button'));
      await waitFor(() => expect(screen.getByTestId('notice').textContent).toContain('Saved.'));
      expect(puts()[1]?.body).toMatchObject({ name: 'Edited again', baseRevision: 7 });
    });
  });

  describe('leaving with unsaved edits', () => {
    function Routed() {
      const route = useRoute();
      return route.page === 'workflow' ? <EditorPage route={route} /> : <p data-testid="list-page">Workflows</p>;
    }

    async function openAndEdit() {
      window.location.hash = '#/';
      window.location.hash = '#/workflows/csat';
      render(<Routed />);
      await screen.findByTestId('node-ask');
      fireEvent.change(screen.getByTestId('workflow-name'), { target: { value: 'Unsaved' } });
    }

    const hashChange = (hash: string) =>
      act(async () => {
        window.location.hash = hash;
        await new Promise((resolve) => setTimeout(resolve, 20));
      });

    it("asks before the browser's Back leaves, and Stay keeps the edits on the page it was on", async () => {
      await openAndEdit();
      await hashChange('#/');
      const dialog = await screen.findByTestId('leave-dialog');
      expect(dialog.textContent).toContain('Leave without saving?');
      expect(window.location.hash).toBe('#/workflows/csat');

      fireEvent.click(within(dialog).getByRole('button', { name: 'Stay' }));
      expect(screen.queryByTestId('leave-dialog')).toBeNull();
      expect((screen.getByTestId('workflow-name') as HTMLInputElement).value).toBe('Unsaved');
      expect(screen.getByTestId('dirty-marker')).toBeTruthy();
    });

    it('leaves through the back arrow once told to, and moves between tabs without asking', async () => {
      await openAndEdit();
      await hashChange('#/workflows/csat/runs');
      expect(screen.queryByTestId('leave-dialog')).toBeNull();

      fireEvent.click(screen.getByRole('link', { name: 'Back to workflows' }));
      const dialog = await screen.findByTestId('leave-dialog');
      fireEvent.click(within(dialog).getByRole('button', { name: 'Leave' }));
      await screen.findByTestId('list-page');
      expect(window.location.hash).toBe('#/');
    });

    it('asks the browser to confirm closing the tab only while there are unsaved edits', async () => {
      await openAndEdit();
      const closing = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(closing);
      expect(closing.defaultPrevented).toBe(true);

      act(() => useCanvasStore.getState().markSaved());
      const closingSaved = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(closingSaved);
      expect(closingSaved.defaultPrevented).toBe(false);
    });
  });
});
