import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noteWorkflow, startTestApp, type TestApp } from './test-app.ts';

describe('workflow routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const call: TestApp['api'] = (...args) => t.api(...args);

  it('creates (201), reads, lists, replaces and deletes (204) a draft', async () => {
    const created = await call('POST', '/api/workflows', noteWorkflow('wf-crud'));
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ id: 'wf-crud', status: 'draft', publishedVersion: null });

    const taken = await call('POST', '/api/workflows', noteWorkflow('wf-crud'));
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ code: 'WORKFLOW_ID_TAKEN', message: expect.stringContaining('wf-crud') });

    const read = await call('GET', '/api/workflows/wf-crud');
    expect(read.statusCode).toBe(200);
    expect(read.json().nodes).toHaveLength(2);

    const list = await call('GET', '/api/workflows');
    expect(list.json().map((item: { id: string }) => item.id)).toContain('wf-crud');

    const renamed = await call('PUT', '/api/workflows/wf-crud', { ...noteWorkflow('wf-crud'), name: 'Renamed' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json().name).toBe('Renamed');

    const deleted = await call('DELETE', '/api/workflows/wf-crud');
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expect((await call('GET', '/api/workflows/wf-crud')).statusCode).toBe(404);
  });

  it('refuses a workflow with a step of a type this server does not have, naming the step and the type', async () => {
    const foreign = noteWorkflow('wf-foreign');
    const withPlugin = {
      ...foreign,
      nodes: [...foreign.nodes, { id: 'crm', type: 'acme.crmSync', position: { x: 0, y: 0 }, data: {} }],
    };
    const created = await call('POST', '/api/workflows', withPlugin);
    expect(created.statusCode).toBe(400);
    expect(created.json().message).toMatch(/no node type for step "crm" \(type "acme\.crmSync"\)/);
    expect((await call('GET', '/api/workflows/wf-foreign')).statusCode).toBe(404);

    expect((await call('POST', '/api/workflows', foreign)).statusCode).toBe(201);
    expect((await call('PUT', '/api/workflows/wf-foreign', withPlugin)).statusCode).toBe(400);
    expect((await call('GET', '/api/workflows/wf-foreign')).json().nodes).toHaveLength(foreign.nodes.length);
  });

  describe('saving a draft someone else saved since it was loaded', () => {
    const save = (id: string, body: object, editorName?: string) =>
      t.app.inject({
        method: 'PUT',
        url: `/api/workflows/${id}`,
        headers: { ...t.auth, ...(editorName === undefined ? {} : { 'x-editor-name': editorName }) },
        payload: body,
      });

    it('counts saves in revision and keeps who saved, as the client named itself', async () => {
      const created = await call('POST', '/api/workflows', noteWorkflow('wf-rev'));
      expect(created.json()).toMatchObject({ revision: 1, savedBy: null });

      const saved = await save('wf-rev', { ...noteWorkflow('wf-rev'), baseRevision: 1 }, '  Grace%20H%C3%B6pper ');
      expect(saved.statusCode).toBe(200);
      expect(saved.json()).toMatchObject({ revision: 2, savedBy: 'Grace Höpper' });

      const long = await save('wf-rev', noteWorkflow('wf-rev'), 'x'.repeat(150));
      expect(long.json()).toMatchObject({ revision: 3, savedBy: 'x'.repeat(100) });
      expect((await call('GET', '/api/workflows/wf-rev')).json()).toMatchObject({ revision: 3 });
    });

    it('refuses with 409 DRAFT_CHANGED saying which revision, when and by whom, and keeps their draft', async () => {
      await call('POST', '/api/workflows', noteWorkflow('wf-conflict'));
      const theirs = await save(
        'wf-conflict',
        { ...noteWorkflow('wf-conflict'), name: 'Theirs', baseRevision: 1 },
        'Grace',
      );
      expect(theirs.statusCode).toBe(200);

      const mine = await save('wf-conflict', { ...noteWorkflow('wf-conflict'), name: 'Mine', baseRevision: 1 }, 'Ada');
      expect(mine.statusCode).toBe(409);
      expect(mine.json()).toMatchObject({
        code: 'DRAFT_CHANGED',
        message: expect.stringContaining('saved by Grace'),
        details: { revision: 2, savedBy: 'Grace', savedAt: theirs.json().updatedAt },
      });
      expect((await call('GET', '/api/workflows/wf-conflict')).json()).toMatchObject({ name: 'Theirs', revision: 2 });

      const overwrite = await save(
        'wf-conflict',
        { ...noteWorkflow('wf-conflict'), name: 'Mine', baseRevision: 2 },
        'Ada',
      );
      expect(overwrite.json()).toMatchObject({ name: 'Mine', revision: 3, savedBy: 'Ada' });
    });

    it('names an unnamed saver as someone using the API', async () => {
      await call('POST', '/api/workflows', noteWorkflow('wf-anonymous'));
      await call('PUT', '/api/workflows/wf-anonymous', noteWorkflow('wf-anonymous'));
      const refused = await save('wf-anonymous', { ...noteWorkflow('wf-anonymous'), baseRevision: 1 });
      expect(refused.json()).toMatchObject({
        message: expect.stringContaining('someone using the API'),
        details: { revision: 2, savedBy: null },
      });
    });

    it('saves without baseRevision whatever the revision, as before revisions existed', async () => {
      await call('POST', '/api/workflows', noteWorkflow('wf-legacy'));
      await save('wf-legacy', noteWorkflow('wf-legacy'), 'Grace');
      const blind = await call('PUT', '/api/workflows/wf-legacy', { ...noteWorkflow('wf-legacy'), name: 'API' });
      expect(blind.statusCode).toBe(200);
      expect(blind.json()).toMatchObject({ name: 'API', revision: 3, savedBy: null });
    });

    it('reads a draft stored before revisions were kept as revision 0', async () => {
      await call('POST', '/api/workflows', noteWorkflow('wf-old'));
      await t.redis.hdel(`${t.prefix}wf:wf-old`, 'revision');
      expect((await call('GET', '/api/workflows/wf-old')).json()).toMatchObject({ revision: 0, savedBy: null });
      const saved = await save('wf-old', { ...noteWorkflow('wf-old'), baseRevision: 0 });
      expect(saved.json()).toMatchObject({ revision: 1 });
    });

    it('lets exactly one of two saves from the same revision land', async () => {
      await call('POST', '/api/workflows', noteWorkflow('wf-race'));
      const results = await Promise.all(
        ['Ada', 'Grace'].map((name) => save('wf-race', { ...noteWorkflow('wf-race'), name, baseRevision: 1 }, name)),
      );
      expect(results.map((result) => result.statusCode).sort()).toEqual([200, 409]);
      const winner = results.find((result) => result.statusCode === 200)?.json();
      expect((await call('GET', '/api/workflows/wf-race')).json()).toMatchObject({
        name: winner.name,
        savedBy: winner.name,
        revision: 2,
      });
    });

    it('documents baseRevision, X-Editor-Name and DRAFT_CHANGED in OpenAPI', async () => {
      const document = (await t.app.inject({ url: '/docs/json' })).json();
      const put = document.paths['/api/workflows/{id}'].put;
      expect(put.parameters).toContainEqual(expect.objectContaining({ in: 'header', name: 'x-editor-name' }));
      const body = put.requestBody.content['application/json'].schema;
      expect(body.properties.baseRevision.description).toContain('DRAFT_CHANGED');
      expect(put.responses['409'].description).toContain('DRAFT_CHANGED');
    });
  });

  it('refuses to publish an invalid workflow with 422 naming the node', async () => {
    const broken = noteWorkflow('wf-broken');
    const note = broken.nodes[1];
    if (note) note.data = { text: '' };
    expect((await call('POST', '/api/workflows', broken)).statusCode).toBe(201);

    const response = await call('POST', '/api/workflows/wf-broken/publish');
    expect(response.statusCode).toBe(422);
    const body = response.json();
    expect(body.code).toBe('WORKFLOW_INVALID');
    expect(body.message).toContain('node "note"');
    expect(body.details.problems).toContainEqual(expect.objectContaining({ nodeId: 'note' }));
  });

  it('validates the stored draft, or an unsaved one, with 200 even when invalid', async () => {
    expect((await call('POST', '/api/workflows', noteWorkflow('wf-validate'))).statusCode).toBe(201);

    const stored = await call('POST', '/api/workflows/wf-validate/validate', {});
    expect(stored.statusCode).toBe(200);
    expect(stored.json()).toEqual({ valid: true, problems: [] });

    const draft = noteWorkflow('wf-validate');
    draft.edges = [];
    const unsaved = await call('POST', '/api/workflows/wf-validate/validate', draft);
    expect(unsaved.statusCode).toBe(200);
    expect(unsaved.json().valid).toBe(false);
    expect(unsaved.json().problems).toContainEqual(expect.objectContaining({ nodeId: 'note' }));
  });

  it('publishes a valid workflow and serves the frozen version', async () => {
    expect((await call('POST', '/api/workflows', noteWorkflow('wf-publish'))).statusCode).toBe(201);
    const published = await call('POST', '/api/workflows/wf-publish/publish');
    expect(published.statusCode).toBe(200);
    expect(published.json()).toMatchObject({ status: 'published', publishedVersion: 1 });

    const version = await call('GET', '/api/workflows/wf-publish/versions/1');
    expect(version.statusCode).toBe(200);
    expect(version.json()).toMatchObject({ id: 'wf-publish', nodes: noteWorkflow('wf-publish').nodes });
    expect((await call('GET', '/api/workflows/wf-publish/versions/2')).statusCode).toBe(404);
  });

  it('asks what happens to active runs before deleting or unpublishing, then does what it was told', async () => {
    // No worker in this app: the shortcut's run stays queued, an active run.
    expect((await call('POST', '/api/workflows', noteWorkflow('wf-live', 'test.shortcut'))).statusCode).toBe(201);
    expect((await call('POST', '/api/workflows/wf-live/publish')).statusCode).toBe(200);
    const started = await call('POST', '/api/workflows/wf-live/shortcut', {
      conversationId: 'conv-live',
      contact: { id: 'contact-live' },
      triggeredBy: { id: 'agent-1' },
    });
    expect(started.statusCode).toBe(202);
    const list = await call('GET', '/api/workflows');
    expect(list.json().find((item: { id: string }) => item.id === 'wf-live')).toMatchObject({ activeRuns: 1 });

    const undecided = await call('DELETE', '/api/workflows/wf-live');
    expect(undecided.statusCode).toBe(409);
    expect(undecided.json()).toMatchObject({ code: 'ACTIVE_RUNS', details: { activeRuns: 1 } });
    expect((await call('POST', '/api/workflows/wf-live/unpublish')).json()).toMatchObject({ code: 'ACTIVE_RUNS' });
    const bad = await call('DELETE', '/api/workflows/wf-live?activeRuns=later');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('activeRuns');

    const unpublished = await call('POST', '/api/workflows/wf-live/unpublish?activeRuns=cancel');
    expect(unpublished.statusCode).toBe(200);
    expect(unpublished.json()).toMatchObject({ status: 'draft', publishedVersion: null, activeRuns: 0 });
    expect((await call('GET', `/api/runs/${started.json().runId}`)).json().status).toBe('cancelled');
    expect((await call('DELETE', '/api/workflows/wf-live')).statusCode).toBe(204);
  });

  it('documents unpublishing and the activeRuns choice in OpenAPI, behind the API key', async () => {
    const document = (await t.app.inject({ url: '/docs/json' })).json();
    const unpublish = document.paths['/api/workflows/{id}/unpublish']?.post;
    expect(unpublish?.security).toEqual([{ bearer: [] }, { session: [] }]);
    for (const operation of [unpublish, document.paths['/api/workflows/{id}'].delete]) {
      expect(operation.parameters).toContainEqual(
        expect.objectContaining({
          in: 'query',
          name: 'activeRuns',
          schema: expect.objectContaining({ enum: ['cancel', 'finish'] }),
        }),
      );
      expect(operation.responses['409'].description).toMatch(/ACTIVE_RUNS.*RUNS_BUSY/);
    }
  });
});
