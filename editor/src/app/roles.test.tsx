import type { Me, WorkflowListItem, WorkflowRecord } from '@convoflow/engine';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { apiKey } from '../api/client.ts';
import { csatWorkflow } from '../canvas/csat.fixture.ts';
import EditorPage from '../canvas/EditorPage.tsx';
import ChannelsPage from '../channels/ChannelsPage.tsx';
import { deskConnection, fixtureChannels } from '../channels/helpdesk.fixture.ts';
import { startTestServer, type TestServer } from '../shared/testServer.ts';
import { App } from './App.tsx';
import { SignIn } from './SignIn.tsx';
import { installOwner, me } from './useMe.ts';

const item: WorkflowListItem = {
  id: 'csat',
  name: 'CSAT',
  status: 'draft',
  publishedVersion: null,
  hasUnpublishedChanges: false,
  triggerType: null,
  updatedAt: 1,
  runsLast24h: 0,
  failuresLast24h: 0,
  activeRuns: 0,
  createdAt: 1,
};

const record: WorkflowRecord = {
  ...structuredClone(csatWorkflow),
  nodes: csatWorkflow.nodes.map((node) => ({ ...node, data: node.data ?? {} })),
  settings: { reenrollment: { mode: 'always' } },
  status: 'published',
  hasUnpublishedChanges: false,
  publishedVersion: 2,
  versions: [
    { version: 1, publishedAt: 1 },
    { version: 2, publishedAt: 2 },
  ],
  activeRuns: 0,
  createdAt: 1,
  updatedAt: 1,
  revision: 4,
  savedBy: null,
};

const keyOf = (role: Me['role']): Me => ({ kind: 'key', id: `k-${role}`, name: `${role} key`, role });

let server: TestServer | undefined;

async function serve(who: Me | null) {
  server = await startTestServer({
    'GET /api/me': () => (who ? { json: who } : { status: 404, json: { code: 'NOT_FOUND', message: 'No route' } }),
    'GET /api/workflows': () => ({ json: [item] }),
    'GET /api/workflows/csat': () => ({ json: record }),
    'GET /api/runs': () => ({ json: [] }),
    'GET /api/connections': () => ({ json: [deskConnection] }),
    'GET /ready': () => ({ json: { status: 'ok' } }),
  });
}

afterEach(async () => {
  cleanup();
  me.set(null);
  sessionStorage.clear();
  localStorage.clear();
  window.location.hash = '';
  await server?.close();
  server = undefined;
});

describe('who signed in', () => {
  it('asks the server who the key is once it is accepted, and keeps the answer', async () => {
    await serve(keyOf('viewer'));
    let signedIn = false;
    render(<SignIn message={null} onSignedIn={() => (signedIn = true)} />);
    fireEvent.click(screen.getByTestId('use-api-key'));
    fireEvent.change(screen.getByTestId('api-key'), { target: { value: 'viewer-key' } });
    fireEvent.click(screen.getByTestId('sign-in'));
    await waitFor(() => expect(signedIn).toBe(true));
    expect(me.get()).toEqual(keyOf('viewer'));
    expect(server?.requests.find((request) => request.url.pathname === '/api/me')?.headers.authorization).toBe(
      'Bearer viewer-key',
    );
  });

  it('takes a server without /api/me (older than roles) as owner, once a read accepts the key', async () => {
    await serve(null);
    let signedIn = false;
    render(<SignIn message={null} onSignedIn={() => (signedIn = true)} />);
    fireEvent.click(screen.getByTestId('use-api-key'));
    fireEvent.change(screen.getByTestId('api-key'), { target: { value: 'install-key' } });
    fireEvent.click(screen.getByTestId('sign-in'));
    await waitFor(() => expect(signedIn).toBe(true));
    expect(me.get()).toBe(installOwner);
    expect(server?.requests.map((request) => request.url.pathname)).toContain('/api/workflows');
  });
});

describe('the app by role', () => {
  it('shows an owner the Team pages and every change', async () => {
    await serve(keyOf('owner'));
    apiKey.set('owner-key');
    render(<App />);
    await screen.findByTestId('workflow-list');
    expect(screen.getByTestId('nav-keys').getAttribute('href')).toBe('#/keys');
    expect(screen.getByTestId('nav-audit').getAttribute('href')).toBe('#/audit');
    expect(screen.getByTestId('create-workflow')).toBeTruthy();
    expect(screen.getByTestId('signed-in-as').textContent).toBe('owner key · Owner');
  });

  it('shows an editor every change but no Team pages, and refuses #/keys in words', async () => {
    await serve(keyOf('editor'));
    apiKey.set('editor-key');
    render(<App />);
    await screen.findByTestId('workflow-list');
    expect(screen.queryByTestId('nav-keys')).toBeNull();
    expect(screen.getByTestId('create-workflow')).toBeTruthy();
    window.location.hash = '#/keys';
    expect((await screen.findByTestId('owner-only')).textContent).toContain('not an owner key');
  });

  it('shows a viewer the workflows with nothing that changes them', async () => {
    await serve(keyOf('viewer'));
    apiKey.set('viewer-key');
    render(<App />);
    const list = await screen.findByTestId('workflow-list');
    for (const testId of ['create-workflow', 'import-workflow', 'nav-keys', 'nav-audit'])
      expect(screen.queryByTestId(testId)).toBeNull();
    expect(within(list).queryByRole('button', { name: 'Rename CSAT' })).toBeNull();
    expect(within(list).queryByRole('button', { name: 'Delete CSAT' })).toBeNull();
    expect(within(list).getByRole('button', { name: 'Export CSAT' })).toBeTruthy();
  });

  it('shows an agent only what its key is for, and signs it out', async () => {
    await serve(keyOf('agent'));
    apiKey.set('agent-key');
    render(<App />);
    const page = await screen.findByTestId('agent-page');
    expect(page.textContent).toContain('can only run shortcut workflows from the helpdesk');
    expect(page.textContent).toContain('Connect Chatwoot');
    expect(server?.requests.map((request) => request.url.pathname)).not.toContain('/api/workflows');
    fireEvent.click(screen.getByTestId('sign-out'));
    await screen.findByTestId('use-api-key');
    expect(apiKey.get()).toBeNull();
  });
});

describe('the canvas for a viewer', () => {
  it('shows the workflow read-only: no Publish, Save or Unpublish, no palette, the step panel disabled', async () => {
    await serve(keyOf('viewer'));
    me.set(keyOf('viewer'));
    render(<EditorPage route={{ page: 'workflow', workflowId: 'csat', tab: 'design' }} />);
    await screen.findByTestId('node-ask');

    const publish = screen.getByTestId('publish-button') as HTMLButtonElement;
    expect(publish.disabled).toBe(true);
    expect(publish.title).toBe('Your key is a viewer key: this needs an owner or editor key.');
    expect((screen.getByTestId('save-button') as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByTestId('simulator-button') as HTMLButtonElement).disabled).toBe(true);
    // The page is narrow here: the secondary actions are in "More".
    fireEvent.click(screen.getByTestId('more-actions'));
    expect(screen.getByTestId('versions-button')).toBeTruthy();
    expect(screen.queryByTestId('unpublish-button')).toBeNull();
    expect(screen.queryByTestId('add-note')).toBeNull();
    fireEvent.click(screen.getByTestId('versions-button'));
    await screen.findByText('v2');
    expect(screen.queryAllByRole('button', { name: 'Restore as draft' })).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(document.querySelector('.palette')).toBeNull();
    expect((screen.getByTestId('workflow-name') as HTMLInputElement).readOnly).toBe(true);
    expect(document.querySelector('.editor--readonly')).not.toBeNull();
    expect(screen.getByTestId('read-only').title).toBe(publish.title);

    fireEvent.click(screen.getByTestId('node-ask'));
    const panel = await screen.findByTestId('node-panel');
    expect((within(panel).getByTestId('step-name').closest('fieldset') as HTMLFieldSetElement).disabled).toBe(true);
    expect(within(panel).queryByRole('button', { name: 'Delete step' })).toBeNull();
    expect((within(panel).getByRole('button', { name: 'Close panel' }) as HTMLButtonElement).disabled).toBe(false);

    // The keyboard changes nothing either: Delete on the selected step, paste, undo.
    for (const key of [{ key: 'Delete' }, { key: 'v', ctrlKey: true }, { key: 'z', ctrlKey: true }])
      fireEvent.keyDown(document.body, key);
    expect(screen.getByTestId('node-ask')).toBeTruthy();
    expect(screen.queryByTestId('dirty-marker')).toBeNull();
  });

  it('lets an editor publish', async () => {
    await serve(keyOf('editor'));
    me.set(keyOf('editor'));
    render(<EditorPage route={{ page: 'workflow', workflowId: 'csat', tab: 'design' }} />);
    await screen.findByTestId('node-ask');
    expect((screen.getByTestId('publish-button') as HTMLButtonElement).disabled).toBe(false);
    fireEvent.click(screen.getByTestId('more-actions'));
    expect(screen.getByTestId('unpublish-button')).toBeTruthy();
    expect(screen.queryByTestId('read-only')).toBeNull();
    fireEvent.click(screen.getByTestId('versions-button'));
    expect(await screen.findAllByRole('button', { name: 'Restore as draft' })).toHaveLength(2);
  });
});

describe('the channels for a viewer', () => {
  it('shows each channel and its URLs, with no add, edit, check or delete', async () => {
    await serve(keyOf('viewer'));
    me.set(keyOf('viewer'));
    render(<ChannelsPage definitions={fixtureChannels} />);
    const card = await screen.findByRole('article', { name: 'Support desk' });
    expect(within(card).getAllByTestId('channel-endpoint')).toHaveLength(2);
    expect(within(card).queryAllByRole('button', { name: /^(Edit|Delete|Check)/ })).toEqual([]);
    expect(screen.queryByTestId('add-channel')).toBeNull();
  });
});
