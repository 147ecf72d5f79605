import type { WorkflowRecord } from '@convoflow/engine';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EditorTab } from '../app/route.ts';
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
    act(() => useCanvasStore.getState().highlightPath(['start', 'ask']));
    await waitFor(() => expect(screen.getByTestId('node-ask').className).toContain('node-card--lit'));

    view.rerender(page('runs'));
    expect(useCanvasStore.getState().highlight.nodes.size).toBe(0);
    await waitFor(() => expect(screen.getByTestId('node-ask').className).not.toContain('node-card--lit'));
    await screen.findByTestId('runs-empty');
  });
});
