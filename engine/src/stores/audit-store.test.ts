import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../contract/accounts.ts';
import { AppError } from '../errors.ts';
import { type AuditRecord, AuditStore } from './audit-store.ts';
import { testRedis } from './test-redis.ts';

const ada: Actor = { kind: 'key', id: 'key_1', name: 'Ada', role: 'editor' };
const owner: Actor = { kind: 'install-key', id: 'api-key', name: 'API key', role: 'owner' };
const YEAR_MS = 365 * 86_400_000;

const saved = (id: string): AuditRecord => ({
  actor: ada,
  action: 'workflow.saved',
  target: { kind: 'workflow', id, name: `Flow ${id}` },
});

describe('AuditStore', () => {
  let t: ReturnType<typeof testRedis>;
  let store: AuditStore;
  beforeEach(() => {
    t = testRedis();
    store = new AuditStore(t.redis, t.prefix, YEAR_MS);
  });
  afterEach(() => t.cleanup());

  it('records entries with an id and a time, and pages them newest first with a cursor', async () => {
    const before = Date.now();
    const recorded = [];
    for (let i = 0; i < 5; i++) recorded.push(await store.record(saved(`wf-${i}`)));
    expect(recorded[0]).toMatchObject({ id: expect.stringMatching(/^\d+-\d+$/), ...saved('wf-0') });
    expect(recorded[0]?.at).toBeGreaterThanOrEqual(before - 1000);

    const first = await store.page({ limit: 2 });
    expect(first.more).toBe(true);
    expect(first.entries.map((entry) => entry.target.id)).toEqual(['wf-4', 'wf-3']);
    const second = await store.page({ limit: 2, before: first.entries[1]?.id });
    expect(second.entries.map((entry) => entry.target.id)).toEqual(['wf-2', 'wf-1']);
    expect(second.more).toBe(true);
    const last = await store.page({ limit: 2, before: second.entries[1]?.id });
    expect(last).toEqual({ entries: [recorded[0]], more: false });
  });

  it('filters by action and by time, scanning past batches of other actions', async () => {
    await store.record({
      actor: owner,
      action: 'workflow.published',
      target: { kind: 'workflow', id: 'old' },
      details: { version: 1 },
    });
    // More entries of another action than one read takes, so the match lies beyond the first batch.
    for (let i = 0; i < 450; i++) await store.record(saved(`wf-${i}`));
    const published = await store.page({ action: 'workflow.published', limit: 10 });
    expect(published.entries).toMatchObject([{ target: { id: 'old' }, details: { version: 1 }, actor: owner }]);
    expect(published.more).toBe(false);

    const all = await store.page({ limit: 500 });
    expect(all.entries).toHaveLength(451);
    const middle = all.entries[200];
    if (!middle) throw new Error('no middle entry');
    const upTo = await store.page({ limit: 500, to: new Date(middle.at).toISOString() });
    expect(upTo.entries.every((entry) => entry.at <= middle.at)).toBe(true);
    expect(upTo.entries.map((entry) => entry.id)).toContain(middle.id);
    const from = await store.page({ limit: 500, from: new Date(middle.at + 1).toISOString() });
    expect(from.entries.every((entry) => entry.at > middle.at)).toBe(true);
    expect(from.entries.length + upTo.entries.length).toBe(451);
    // A cursor and an end time together: the stricter of the two bounds the page.
    const later = all.entries[100];
    if (!later) throw new Error('no later entry');
    const both = await store.page({ limit: 500, before: later.id, to: new Date(middle.at).toISOString() });
    expect(both.entries).toEqual(upTo.entries);
    const cursorFirst = await store.page({ limit: 500, before: middle.id, to: new Date(later.at).toISOString() });
    expect(cursorFirst.entries).toEqual(all.entries.slice(201));
  });

  it('coalesces: a key recorded within the window records nothing more', async () => {
    const window = { key: 'saved:wf-1:key_1', ms: 60_000 };
    expect(await store.record(saved('wf-1'), window)).not.toBeNull();
    expect(await store.record(saved('wf-1'), window)).toBeNull();
    expect(await store.record(saved('wf-1'), { key: 'saved:wf-1:other', ms: 60_000 })).not.toBeNull();
    expect((await store.page({ limit: 10 })).entries).toHaveLength(2);
  });

  it('trims entries past the retention on write, and never shows them before that', async () => {
    const shortLived = new AuditStore(t.redis, t.prefix, 300);
    await shortLived.record(saved('a'));
    await shortLived.record(saved('b'));
    await sleep(400);
    // Expired but not yet trimmed: not shown.
    expect(await shortLived.page({ limit: 10 })).toEqual({ entries: [], more: false });
    expect(await t.redis.xlen(`${t.prefix}audit`)).toBe(2);
    await shortLived.record(saved('c'));
    expect(await t.redis.xlen(`${t.prefix}audit`)).toBe(1);
    expect((await shortLived.page({ limit: 10 })).entries.map((entry) => entry.target.id)).toEqual(['c']);
  });

  it('exports CSV with a header row, every match, and formula-looking cells made text', async () => {
    await store.record({
      actor: { ...ada, name: '=HYPERLINK("http://evil")' },
      action: 'connection.created',
      target: { kind: 'connection', id: 'sheet', name: '@SUM(A1)' },
      details: { type: 'secret', name: '+1' },
    });
    await store.record(saved('wf-1'));
    const csv = await store.csv({ action: 'connection.created' });
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('time,actor name,actor kind,role,action,target kind,target id,target name,details');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(
      /^\d{4}-\d\d-\d\dT[\d:.]+Z,"'=HYPERLINK\(""http:\/\/evil""\)",key,editor,connection\.created,connection,sheet,'@SUM\(A1\),"\{""type"":""secret"",""name"":""\+1""\}"$/,
    );
    expect(lines[2]).toBe('');
  });

  it('refuses a cursor that is not an entry id, saying what to pass', async () => {
    const error = await store.page({ limit: 10, before: 'yesterday' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toMatch(/before "yesterday" is not an audit entry id/);
  });
});
