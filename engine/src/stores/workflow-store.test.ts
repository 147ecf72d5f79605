import { afterAll, describe, expect, it } from 'vitest';
import type { ValidationReport } from '../contract/workflows.ts';
import type { Workflow, WorkflowInput } from '../workflow/schema.ts';
import { testRedis } from './test-redis.ts';
import { WorkflowStore } from './workflow-store.ts';

const { redis, prefix, cleanup } = testRedis();
// A clock that ticks on every read, so "most recently updated" is never a tie.
let clock = Date.parse('2026-03-01T00:00:00Z');
const store = new WorkflowStore(redis, prefix, { now: () => ++clock });
afterAll(cleanup);

const valid = (): ValidationReport => ({ valid: true, problems: [] });

function csat(overrides: Partial<WorkflowInput> = {}): WorkflowInput {
  return {
    name: 'CSAT',
    nodes: [
      { id: 'start', type: 'trigger.conversationClosed', position: { x: 0, y: 0 }, data: {} },
      { id: 'ask', type: 'askQuestion', position: { x: 0, y: 150 }, data: { question: 'How was it?' } },
    ],
    edges: [{ id: 'e1', source: 'start', target: 'ask' }],
    ...overrides,
  };
}

describe('WorkflowStore drafts', () => {
  it('creates a draft with a generated url-safe id and default settings', async () => {
    const record = await store.create(csat());
    expect(record.id).toMatch(/^wf_[A-Za-z0-9_-]{6,}$/);
    expect(record).toMatchObject({
      name: 'CSAT',
      settings: { reenrollment: { mode: 'always' } },
      status: 'draft',
      publishedVersion: null,
      versions: [],
      hasUnpublishedChanges: true,
    });
    expect(record.createdAt).toBe(clock);
    expect(record.updatedAt).toBe(record.createdAt);
    expect(await store.get(record.id)).toEqual(record);
  });

  it('keeps a given id and refuses a duplicate', async () => {
    await store.create(csat({ id: 'fixed' }));
    await expect(store.create(csat({ id: 'fixed' }))).rejects.toMatchObject({ code: 'WORKFLOW_ID_TAKEN', status: 409 });
  });

  it('saves invalid graphs as drafts but rejects malformed input', async () => {
    const draft = await store.create(csat({ nodes: [], edges: [{ id: 'e', source: 'nowhere', target: 'x' }] }));
    expect(draft.nodes).toEqual([]);
    await expect(store.create(csat({ name: '' }))).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('updates the draft and moves it first in the list', async () => {
    const a = await store.create(csat({ name: 'A' }));
    const b = await store.create(csat({ name: 'B' }));
    const updated = await store.update(a.id, csat({ name: 'A2' }));
    expect(updated).toMatchObject({ id: a.id, name: 'A2', createdAt: a.createdAt });
    expect(updated.updatedAt).toBeGreaterThan(b.updatedAt);
    const ids = (await store.list()).map((record) => record.id);
    expect(ids.indexOf(a.id)).toBeLessThan(ids.indexOf(b.id));
  });

  it('refuses an update whose body names another id, or of a missing workflow', async () => {
    const a = await store.create(csat());
    await expect(store.update(a.id, csat({ id: 'other' }))).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(store.update('missing', csat())).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(store.get('missing')).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });

  it('imports only when absent', async () => {
    const first = await store.importIfAbsent({ ...csat({ name: 'Example' }), id: 'example' });
    expect(first?.name).toBe('Example');
    expect(await store.importIfAbsent({ ...csat({ name: 'Changed' }), id: 'example' })).toBeNull();
    expect((await store.get('example')).name).toBe('Example');
  });
});

describe('WorkflowStore publishing', () => {
  it('rejects an invalid draft with its problems and publishes nothing', async () => {
    const { id } = await store.create(csat());
    const problems = [{ nodeId: 'ask', field: 'question', message: 'Write the question.' }];
    const error = await store.publish(id, () => ({ valid: false, problems })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'WORKFLOW_INVALID', status: 422, details: { problems } });
    expect(error).toHaveProperty('message', expect.stringContaining('node "ask": Write the question.'));
    expect((await store.get(id)).status).toBe('draft');
    expect((await store.published()).some((entry) => entry.workflow.id === id)).toBe(false);
  });

  it('validates the stored draft, freezes versions and tracks unpublished changes', async () => {
    const { id } = await store.create(csat({ name: 'v1' }));
    const seen: Workflow[] = [];
    const v1 = await store.publish(id, (workflow) => {
      seen.push(workflow);
      return valid();
    });
    expect(seen[0]).toMatchObject({ id, name: 'v1' });
    expect(v1).toMatchObject({ status: 'published', publishedVersion: 1, hasUnpublishedChanges: false });
    expect(v1.versions).toEqual([{ version: 1, publishedAt: expect.any(Number) }]);

    await store.update(id, csat({ name: 'v2' }));
    expect((await store.get(id)).hasUnpublishedChanges).toBe(true);
    // Saving the published content again (keys in another order) is no change.
    const { name, nodes, edges } = csat({ name: 'v1' });
    await store.update(id, { edges, nodes, name });
    expect((await store.get(id)).hasUnpublishedChanges).toBe(false);
    // Publishing an unchanged draft makes no new version.
    expect((await store.publish(id, valid)).publishedVersion).toBe(1);

    await store.update(id, csat({ name: 'v2' }));
    const v2 = await store.publish(id, valid);
    expect(v2).toMatchObject({ publishedVersion: 2, hasUnpublishedChanges: false });
    expect(v2.versions.map((info) => info.version)).toEqual([1, 2]);

    // A run pinned on version 1 still finds it, unchanged by later edits.
    await store.update(id, csat({ name: 'v3 draft' }));
    expect((await store.getVersion(id, 1)).name).toBe('v1');
    expect((await store.getVersion(id, 2)).name).toBe('v2');
    await expect(store.getVersion(id, 3)).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const entry = (await store.published()).find((published) => published.workflow.id === id);
    expect(entry).toMatchObject({ version: 2, workflow: { id, name: 'v2' } });
  });

  it('publishes the draft it validated when a save races the validation', async () => {
    const { id } = await store.create(csat({ name: 'before' }));
    let calls = 0;
    const validated: string[] = [];
    const record = await store.publish(id, async (workflow) => {
      calls++;
      validated.push(workflow.name);
      if (calls === 1) await store.update(id, csat({ name: 'after' }));
      return valid();
    });
    expect(validated).toEqual(['before', 'after']);
    expect((await store.getVersion(id, record.publishedVersion ?? 0)).name).toBe('after');
  });

  it('serves published() from its cache while nothing changes, and sees changes at once', async () => {
    const { id } = await store.create(csat({ name: 'cached' }));
    await store.publish(id, valid);
    const first = (await store.published()).find((entry) => entry.workflow.id === id);
    const second = (await store.published()).find((entry) => entry.workflow.id === id);
    expect(second).toBe(first);

    const elsewhere = new WorkflowStore(redis, prefix);
    await elsewhere.update(id, csat({ name: 'cached v2' }));
    await elsewhere.publish(id, valid);
    expect((await store.published()).find((entry) => entry.workflow.id === id)).toMatchObject({
      version: 2,
      workflow: { name: 'cached v2' },
    });
  });

  it('deletes the draft, its versions and its published pointer', async () => {
    const { id } = await store.create(csat());
    await store.publish(id, valid);
    await store.delete(id);
    await expect(store.get(id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(store.getVersion(id, 1)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await store.published()).some((entry) => entry.workflow.id === id)).toBe(false);
    expect((await store.list()).some((record) => record.id === id)).toBe(false);
    expect(await redis.keys(`${prefix}wf:${id}*`)).toEqual([]);
    await expect(store.delete(id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(store.publish(id, valid)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('never reuses a version number for a re-created id, so id@version stays cacheable', async () => {
    await store.create(csat({ id: 'reborn', name: 'first life' }));
    await store.publish('reborn', valid);
    await store.delete('reborn');
    await store.create(csat({ id: 'reborn', name: 'second life' }));
    const record = await store.publish('reborn', valid);
    expect(record.publishedVersion).toBe(2);
    expect(record.versions.map((info) => info.version)).toEqual([2]);
    await expect(store.getVersion('reborn', 1)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
