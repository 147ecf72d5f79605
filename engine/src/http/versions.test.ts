import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowTemplate } from '../contract/templates.ts';
import { noteWorkflow, startTestApp, type TestApp } from './test-app.ts';

const template: WorkflowTemplate = {
  id: 'note-on-close',
  name: 'A note on close',
  description: 'Writes a note when a conversation closes.',
  workflow: { ...noteWorkflow('note-on-close'), settings: { reenrollment: { mode: 'always' } } },
};

describe('version notes, version history and templates', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ app: { templates: async () => [template] } });
  });
  afterAll(() => t.close());

  it('publishes without a body as before, and with a note and the publisher named', async () => {
    const doc = noteWorkflow('wf-notes');
    expect((await t.api('POST', '/api/workflows', doc)).statusCode).toBe(201);
    expect((await t.api('POST', '/api/workflows/wf-notes/publish')).statusCode).toBe(200);

    const renamed = {
      ...doc,
      nodes: [doc.nodes[0], { ...doc.nodes[1], label: 'Note for the agent', data: { text: 'Bye $contact.name' } }],
      notes: [{ id: 'n1', text: 'Ask Sam before changing', position: { x: 300, y: 0 } }],
    };
    expect((await t.api('PUT', '/api/workflows/wf-notes', renamed)).json()).toMatchObject({
      hasUnpublishedChanges: true,
      notes: renamed.notes,
    });
    const published = await t.app.inject({
      method: 'POST',
      url: '/api/workflows/wf-notes/publish',
      headers: { ...t.auth, 'x-editor-name': encodeURIComponent('Zoë') },
      payload: { note: '  Friendlier goodbye  ' },
    });
    expect(published.statusCode).toBe(200);
    expect(published.json()).toMatchObject({ publishedVersion: 2, notes: renamed.notes });
    // The frozen version keeps the sticky notes and the step's name.
    expect((await t.api('GET', '/api/workflows/wf-notes/versions/2')).json()).toMatchObject({
      notes: renamed.notes,
      nodes: [{ id: 'start' }, { id: 'note', label: 'Note for the agent' }],
    });

    const versions = await t.api('GET', '/api/workflows/wf-notes/versions');
    expect(versions.statusCode).toBe(200);
    expect(versions.json()).toEqual([
      {
        version: 2,
        publishedAt: expect.any(Number),
        note: 'Friendlier goodbye',
        publishedBy: 'Zoë',
        changes: {
          added: [],
          removed: [],
          changed: [{ id: 'note', type: 'test.note', label: 'Note for the agent', fields: ['data', 'label'] }],
          edgesAdded: 0,
          edgesRemoved: 0,
          nameChanged: false,
          settingsChanged: false,
          notesChanged: true,
        },
      },
      { version: 1, publishedAt: expect.any(Number), note: null, publishedBy: null, changes: null },
    ]);
  });

  it('refuses a note that is too long, naming the field and the limit', async () => {
    expect((await t.api('POST', '/api/workflows', noteWorkflow('wf-long-note'))).statusCode).toBe(201);
    const response = await t.api('POST', '/api/workflows/wf-long-note/publish', { note: 'x'.repeat(501) });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/note.*at most 500 characters/i);
  });

  it('answers 404 for the versions of a workflow that does not exist', async () => {
    const response = await t.api('GET', '/api/workflows/nope/versions');
    expect(response.statusCode).toBe(404);
  });

  it('lists the templates behind the API key', async () => {
    const response = await t.api('GET', '/api/templates');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual([template]);
    expect((await t.app.inject({ method: 'GET', url: '/api/templates' })).statusCode).toBe(401);
  });
});
