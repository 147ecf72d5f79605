import { afterAll, describe, expect, it } from 'vitest';
import { LockLostError, RunLocks } from '../runtime/locks.ts';
import type { SurveySignal } from '../sdk/runner.ts';
import { AnalyticsStore, type SurveyFacts } from './analytics-store.ts';
import { testRedis } from './test-redis.ts';

const { redis, prefix, cleanup } = testRedis();
const NOW = Date.parse('2026-03-10T12:00:00Z');
const store = new AnalyticsStore(redis, prefix, { now: () => NOW });
const lockKey = (runId: string) => `${prefix}lock:${runId}`;
const locks = new RunLocks(redis, lockKey, 10_000);
afterAll(cleanup);

/** Counts a signal as a run's step does: its commands, applied in the step's fenced write under the run's lock. */
async function count(signal: SurveySignal, facts: SurveyFacts): Promise<void> {
  const lock = await locks.tryAcquire(facts.runId);
  if (!lock) throw new Error(`run ${facts.runId} is locked`);
  try {
    await lock.write(store.countCommands(signal, facts));
  } finally {
    await lock.release();
  }
}

const csatScale = { metric: 'csat', scale: { min: 1, max: 5 } } as const;
let runs = 0;

/** One run: asked at `at`, answered `value` a minute later unless `value` is null. */
async function survey(
  workflowId: string,
  value: number | null,
  at: string,
  extra: Partial<SurveyFacts> & { question?: Omit<Extract<SurveySignal, { kind: 'asked' }>, 'kind'> } = {},
) {
  const { question = csatScale, ...overrides } = extra;
  const facts: SurveyFacts = {
    workflowId,
    nodeId: 'ask',
    runId: `run-${++runs}`,
    at: Date.parse(at),
    conversationId: `conv-${runs}`,
    contactId: `contact-${runs}`,
    ...overrides,
  };
  await count({ kind: 'asked', ...question }, facts);
  if (value !== null) await count({ kind: 'answered', ...question, value }, { ...facts, at: facts.at + 60_000 });
  return facts;
}

describe('AnalyticsStore CSAT report', () => {
  it('computes CSAT, average, distribution and response rate from the answers', async () => {
    for (const value of [5, 4, 4, 3, 1]) await survey('wf-csat', value, '2026-03-01T10:00:00Z');
    await survey('wf-csat', null, '2026-03-01T11:00:00Z');

    const query = { from: '2026-03-01', to: '2026-03-01' };
    const report = await store.csat('wf-csat', query);
    expect(report).toMatchObject({
      workflowId: 'wf-csat',
      nodeId: 'ask',
      metric: 'csat',
      scale: { min: 1, max: 5 },
      benchmark: 4,
      from: '2026-03-01',
      to: '2026-03-01',
      asked: 6,
      answered: 5,
      responseRate: 0.8333,
      score: 60,
      average: 3.4,
    });
    expect(report.distribution).toEqual([
      { value: 1, count: 1 },
      { value: 2, count: 0 },
      { value: 3, count: 1 },
      { value: 4, count: 2 },
      { value: 5, count: 1 },
    ]);
    // Only the single 5 is at or above a benchmark of 5.
    expect((await store.csat('wf-csat', { ...query, benchmark: 5 })).score).toBe(20);
  });

  it('breaks down by day (every day, zeros included), agent and channel', async () => {
    await survey('wf-split', 5, '2026-02-01T08:00:00Z', { agent: 'Ana', channel: 'whatsapp' });
    await survey('wf-split', 2, '2026-02-01T09:00:00Z', { agent: 'Ana', channel: 'web' });
    await survey('wf-split', 4, '2026-02-03T23:00:00Z', { agent: 'Bo' });
    await survey('wf-split', null, '2026-02-03T23:30:00Z', { agent: 'Bo' });

    const report = await store.csat('wf-split', { from: '2026-02-01', to: '2026-02-03' });
    expect(report.byDay).toEqual([
      { key: '2026-02-01', asked: 2, answered: 2, score: 50, average: 3.5 },
      { key: '2026-02-02', asked: 0, answered: 0, score: null, average: null },
      // Answered at 23:01: the same UTC day.
      { key: '2026-02-03', asked: 2, answered: 1, score: 100, average: 4 },
    ]);
    expect(report.byAgent).toEqual([
      { key: 'Ana', answered: 2, score: 50, average: 3.5 },
      { key: 'Bo', answered: 1, score: 100, average: 4 },
    ]);
    expect(report.byChannel).toEqual([
      { key: 'unknown', answered: 1, score: 100, average: 4 },
      { key: 'web', answered: 1, score: 0, average: 2 },
      { key: 'whatsapp', answered: 1, score: 100, average: 5 },
    ]);
  });

  it('breaks down by channel connection and by inbox, an inbox named within its connection', async () => {
    const day = '2026-02-10T10:00:00Z';
    await survey('wf-connections', 5, day, { connection: 'helpdesk', inbox: '2', channel: 'Channel::Whatsapp' });
    await survey('wf-connections', 4, day, { connection: 'helpdesk', inbox: '2', channel: 'Channel::Whatsapp' });
    await survey('wf-connections', 1, day, { connection: 'helpdesk', inbox: '3', channel: 'Channel::WebWidget' });
    // Another platform's inbox "2" is another inbox.
    await survey('wf-connections', 3, day, { connection: 'whatsapp-main', inbox: '2' });
    // A shortcut run through a connection names no inbox; a generic webhook's run names neither.
    await survey('wf-connections', 2, day, { connection: 'whatsapp-main' });
    await survey('wf-connections', 1, day, { channel: 'web' });
    await survey('wf-connections', null, day, { connection: 'helpdesk', inbox: '2' });

    const report = await store.csat('wf-connections', { from: '2026-02-10', to: '2026-02-10' });
    expect(report).toMatchObject({ asked: 7, answered: 6 });
    expect(report.byConnection).toEqual([
      { key: 'helpdesk', answered: 3, score: 66.67, average: 3.33 },
      { key: 'whatsapp-main', answered: 2, score: 0, average: 2.5 },
      { key: 'unknown', answered: 1, score: 0, average: 1 },
    ]);
    expect(report.byInbox).toEqual([
      { key: 'helpdesk/2', answered: 2, score: 100, average: 4.5 },
      { key: 'unknown', answered: 2, score: 0, average: 1.5 },
      { key: 'helpdesk/3', answered: 1, score: 0, average: 1 },
      { key: 'whatsapp-main/2', answered: 1, score: 0, average: 3 },
    ]);
    // The existing breakdowns still add up to every answer.
    expect(report.byChannel.map(({ key, answered }) => [key, answered])).toEqual([
      ['Channel::Whatsapp', 2],
      ['unknown', 2],
      ['Channel::WebWidget', 1],
      ['web', 1],
    ]);
  });

  it('reads a day counted before connections were: its answers have no connection or inbox', async () => {
    const workflowId = 'wf-before-connections';
    const at = Date.parse('2026-02-11T09:00:00Z');
    const facts = { workflowId, nodeId: 'ask', at, conversationId: 'c0', contactId: 'k0' };
    const asked: SurveySignal = { kind: 'asked', ...csatScale };
    await count(asked, { ...facts, runId: 'old-1' });
    await count(asked, { ...facts, runId: 'old-2' });
    // What the previous release wrote for two answers: 5 by Ana, and 2 by nobody.
    await redis.hset(`${prefix}an:${workflowId}:day:2026-02-11:ask`, {
      'v:5': '1',
      'v:2': '1',
      'a:5|Ana': '1',
      'a:2|': '1',
      'c:5|web': '1',
      'c:2|web': '1',
    });
    const oldAnswer = { ...facts, runId: 'old-1', agent: 'Ana', channel: 'web', metric: 'csat', value: 5 };
    await redis.zadd(`${prefix}an:${workflowId}:answers`, at, JSON.stringify(oldAnswer));
    // The same day, an answer counted by this release.
    await survey(workflowId, 4, '2026-02-11T10:00:00Z', { connection: 'helpdesk', inbox: '2', agent: 'Ana' });

    const query = { from: '2026-02-11', to: '2026-02-11' };
    const report = await store.csat(workflowId, query);
    expect(report).toMatchObject({ asked: 3, answered: 3 });
    expect(report.byAgent.map(({ key, answered }) => [key, answered])).toEqual([
      ['Ana', 2],
      ['unknown', 1],
    ]);
    expect(report.byConnection).toEqual([
      { key: 'unknown', answered: 2, score: 50, average: 3.5 },
      { key: 'helpdesk', answered: 1, score: 100, average: 4 },
    ]);
    expect(report.byInbox.map(({ key, answered }) => [key, answered])).toEqual([
      ['unknown', 2],
      ['helpdesk/2', 1],
    ]);
    expect((await store.answersCsv(workflowId, query)).split('\r\n').slice(1, 3)).toEqual([
      '2026-02-11T09:00:00.000Z,old-1,c0,k0,Ana,web,,,ask,csat,5',
      `2026-02-11T10:01:00.000Z,run-${runs},conv-${runs},contact-${runs},Ana,,helpdesk,2,ask,csat,4`,
    ]);
  });

  it('counts only the answers inside the date range', async () => {
    await survey('wf-range', 5, '2026-01-31T23:58:00Z');
    await survey('wf-range', 1, '2026-02-01T00:00:00Z');
    await survey('wf-range', 3, '2026-02-28T23:00:00Z');
    await survey('wf-range', 2, '2026-03-01T00:00:00Z');

    const february = await store.csat('wf-range', { from: '2026-02-01', to: '2026-02-28' });
    expect(february).toMatchObject({ asked: 2, answered: 2, average: 2 });
    expect(february.byDay).toHaveLength(28);
    // Asked on Jan 31 at 23:58, answered on Feb 1 at 00:59: each counts on its own day.
    expect((await store.csat('wf-range', { from: '2026-01-31', to: '2026-01-31' })).asked).toBe(1);
  });

  it('defaults to the last 30 days up to today', async () => {
    await survey('wf-default', 5, '2026-03-10T09:00:00Z');
    await survey('wf-default', 1, '2026-02-09T09:00:00Z');
    const report = await store.csat('wf-default', {});
    expect(report).toMatchObject({ from: '2026-02-09', to: '2026-03-10', answered: 2 });
    expect(report.byDay).toHaveLength(30);
    await survey('wf-default', 3, '2026-02-08T09:00:00Z');
    expect((await store.csat('wf-default', {})).answered).toBe(2);
  });

  it('computes NPS as % promoters − % detractors', async () => {
    const nps = { metric: 'nps', scale: { min: 0, max: 10 } } as const;
    for (const value of [10, 9, 9, 8, 7, 6, 3, 0, 10, 10]) {
      await survey('wf-nps', value, '2026-03-02T10:00:00Z', { question: nps });
    }
    // 5 promoters, 3 detractors of 10.
    const report = await store.csat('wf-nps', { from: '2026-03-02', to: '2026-03-02' });
    expect(report).toMatchObject({ metric: 'nps', score: 20, average: 7.2, benchmark: 9 });
    expect(report.distribution).toHaveLength(11);
  });

  it('computes CES as the mean effort', async () => {
    const ces = { metric: 'ces', scale: { min: 1, max: 7 } } as const;
    for (const value of [1, 2, 2, 7]) await survey('wf-ces', value, '2026-03-02T10:00:00Z', { question: ces });
    const report = await store.csat('wf-ces', { from: '2026-03-02', to: '2026-03-02' });
    expect(report).toMatchObject({ metric: 'ces', score: 3, average: 3, benchmark: 6 });
  });

  it('reports on the first question signalled unless one is asked for', async () => {
    await survey('wf-two', 5, '2026-03-03T10:00:00Z', { nodeId: 'first' });
    await survey('wf-two', 1, '2026-03-03T11:00:00Z', { nodeId: 'second' });
    await survey('wf-two', 2, '2026-03-03T12:00:00Z', { nodeId: 'second' });
    const query = { from: '2026-03-03', to: '2026-03-03' };
    expect(await store.csat('wf-two', query)).toMatchObject({ nodeId: 'first', answered: 1 });
    expect(await store.csat('wf-two', { ...query, nodeId: 'second' })).toMatchObject({
      nodeId: 'second',
      answered: 2,
    });
  });

  it('reports a question whose node id is a name of Object.prototype, and refuses one that never asked', async () => {
    const query = { from: '2026-03-05', to: '2026-03-05' };
    await survey('wf-odd-ids', 5, '2026-03-05T10:00:00Z', { nodeId: 'constructor' });
    await survey('wf-odd-ids', 2, '2026-03-05T11:00:00Z', { nodeId: '__proto__' });
    await survey('wf-odd-ids', 1, '2026-03-05T12:00:00Z', { nodeId: '__proto__' });
    expect(await store.csat('wf-odd-ids', { ...query, nodeId: 'constructor' })).toMatchObject({ answered: 1 });
    expect(await store.csat('wf-odd-ids', { ...query, nodeId: '__proto__' })).toMatchObject({ answered: 2 });
    const csv = await store.answersCsv('wf-odd-ids', { ...query, nodeId: '__proto__' });
    expect(csv.trimEnd().split('\r\n')).toHaveLength(3);

    for (const nodeId of ['toString', 'hasOwnProperty']) {
      const refused = { code: 'NOT_FOUND', message: expect.stringContaining(`nodeId "${nodeId}"`) };
      await expect(store.csat('wf-odd-ids', { ...query, nodeId })).rejects.toMatchObject(refused);
      await expect(store.answersCsv('wf-odd-ids', { ...query, nodeId })).rejects.toMatchObject(refused);
    }
    await expect(store.csat('wf-odd-ids', { ...query, nodeId: 'ask' })).rejects.toThrow(
      'the questions it reports are "__proto__", "constructor"',
    );
  });

  it('counts nothing from a step that lost its run to another worker: its write is refused whole', async () => {
    const facts = await survey('wf-retry', 4, '2026-03-04T10:00:00Z', { connection: 'helpdesk', inbox: '2' });
    // A worker paused past its lock's TTL while re-running the question; another took the run over.
    const stale = await locks.tryAcquire(facts.runId);
    await redis.del(lockKey(facts.runId));
    const current = await locks.tryAcquire(facts.runId);
    const answered: SurveySignal = { kind: 'answered', ...csatScale, value: 4 };
    await expect(stale!.write(store.countCommands(answered, facts))).rejects.toThrow(LockLostError);
    await stale!.release();
    await current!.release();
    await count(answered, { ...facts, runId: 'another' });
    const report = await store.csat('wf-retry', { from: '2026-03-04', to: '2026-03-04' });
    expect(report).toMatchObject({ asked: 1, answered: 2 });
    expect(report.byConnection).toMatchObject([{ key: 'helpdesk', answered: 2 }]);
    expect(report.byInbox).toMatchObject([{ key: 'helpdesk/2', answered: 2 }]);
    const csv = await store.answersCsv('wf-retry', { from: '2026-03-04', to: '2026-03-04' });
    expect(csv.trimEnd().split('\r\n')).toHaveLength(3);
  });

  it('returns an empty report for a workflow without signals', async () => {
    const report = await store.csat('wf-none', { from: '2026-03-01', to: '2026-03-02' });
    expect(report).toMatchObject({
      nodeId: null,
      metric: 'csat',
      asked: 0,
      answered: 0,
      responseRate: null,
      score: null,
      average: null,
      byAgent: [],
      byChannel: [],
      byConnection: [],
      byInbox: [],
    });
    expect(report.byDay).toHaveLength(2);
  });

  it('rejects a reversed or too long date range', async () => {
    await expect(store.csat('wf-csat', { from: '2026-03-02', to: '2026-03-01' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(store.csat('wf-csat', { from: '2024-01-01', to: '2026-03-01' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('at most 400 days'),
    });
  });
});

describe('AnalyticsStore CSV export', () => {
  it('writes one quoted, formula-safe line per answer in the range, with its connection and inbox', async () => {
    await survey('wf-csv', 5, '2026-03-05T10:00:00Z', {
      agent: 'Smith, "Jo"',
      channel: '=HYPERLINK("http://evil")',
      contactId: '+33 6 12',
      conversationId: 'conv\nline',
      connection: 'helpdesk',
      inbox: '-2',
    });
    await survey('wf-csv', 2, '2026-03-06T10:00:00Z', {
      agent: '@bot',
      runId: 'run-csv-2',
      conversationId: 'c2',
      contactId: 'k2',
    });
    await survey('wf-csv', 4, '2026-03-07T10:00:00Z');

    const csv = await store.answersCsv('wf-csv', { from: '2026-03-05', to: '2026-03-06' });
    expect(csv).toBe(
      [
        'date,runId,conversationId,contactId,agent,channel,connection,inbox,nodeId,metric,value',
        `2026-03-05T10:01:00.000Z,run-${runs - 2},"conv\nline",'+33 6 12,"Smith, ""Jo""","'=HYPERLINK(""http://evil"")",helpdesk,'-2,ask,csat,5`,
        "2026-03-06T10:01:00.000Z,run-csv-2,c2,k2,'@bot,,,,ask,csat,2",
        '',
      ].join('\r\n'),
    );
  });
});
