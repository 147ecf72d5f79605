import type { VersionSummary, WorkflowRecord } from '@convoflow/engine';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { csatWorkflow } from '../canvas/csat.fixture.ts';
import { startTestServer, type TestServer } from '../shared/testServer.ts';
import { PublishDialog } from './PublishDialog.tsx';
import { VersionsDialog } from './VersionsDialog.tsx';

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

const history: VersionSummary[] = [
  {
    version: 2,
    publishedAt: Date.now() - 60_000,
    note: 'Friendlier goodbye',
    publishedBy: 'Zoë',
    changes: {
      added: [{ id: 'note', type: 'helpdesk.note', label: 'Tell the agent' }],
      removed: [],
      changed: [{ id: 'ask', type: 'askQuestion', label: 'Rating', fields: ['label'] }],
      edgesAdded: 1,
      edgesRemoved: 0,
      nameChanged: false,
      settingsChanged: false,
      notesChanged: false,
    },
  },
  { version: 1, publishedAt: Date.now() - 3_600_000, note: null, publishedBy: null, changes: null },
];

let server: TestServer | undefined;
afterEach(async () => {
  cleanup();
  await server?.close();
  server = undefined;
});

describe('VersionsDialog', () => {
  it('lists each version with its note, publisher and what changed against the previous one', async () => {
    server = await startTestServer({ 'GET /api/workflows/csat/versions': () => ({ json: history }) });
    render(<VersionsDialog record={record} onClose={() => undefined} />);
    const latest = await screen.findByTestId('version-2');
    expect(within(latest).getByTestId('version-note').textContent).toBe('Friendlier goodbye');
    expect(latest.textContent).toContain('by Zoë');
    expect(within(latest).getByTestId('version-changes').textContent).toContain('Added: Tell the agent (note)');
    expect(within(latest).getByTestId('version-changes').textContent).toContain('Changed: Rating (ask): name');
    expect(screen.getByTestId('version-1').textContent).toContain('First version');
  });

  it('still offers every version to restore when the history cannot be read', async () => {
    server = await startTestServer({});
    render(<VersionsDialog record={record} onClose={() => undefined} />);
    expect(await screen.findByTestId('version-2')).toBeTruthy();
    expect(screen.getByTestId('version-1')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).not.toBe('');
  });
});

describe('PublishDialog', () => {
  it('hands the trimmed note to the caller', () => {
    const notes: string[] = [];
    render(<PublishDialog onPublish={(note) => notes.push(note)} onClose={() => undefined} />);
    fireEvent.change(screen.getByTestId('publish-note'), { target: { value: '  New wording  ' } });
    fireEvent.submit(screen.getByTestId('publish-dialog'));
    expect(notes).toEqual(['New wording']);
  });
});
