import { describe, expect, it } from 'vitest';
import { messageLine, newRunRecord, readRunRecord, runOfRecord, stepLine } from './run-record.ts';
import type { RunState } from './run-state.ts';

const createdAt = 1_700_000_000_000;
const run: RunState = {
  id: 'r1',
  test: false,
  workflowId: 'wf',
  workflowVersion: 3,
  trigger: 'conversation.closed',
  conversationId: 'c1',
  contactId: 'p1',
  contactName: 'Ada',
  status: 'waiting',
  currentNodeId: 'ask',
  createdAt,
  updatedAt: createdAt + 40,
  endedAt: null,
  scope: { conversation: { id: 'c1' }, contact: { id: 'p1', name: 'Ada' } },
  visits: { start: 1, ask: 1 },
  wait: { kind: 'reply', nodeId: 'ask', seq: 1, deadline: createdAt + 60_000, askedAt: createdAt + 30 },
  waitSeq: 1,
  nodeState: { retries: 0 },
  inflight: null,
};

/** A waiting run's record exactly as stored since the compact format: installs hold these. */
const stored = [
  '{"w":"wf","v":3,"s":"waiting","a":1700000000000,"u":40,"o":{"conversation":{"id":"c1"},"contact":{"id":"p1","name":"Ada"}},"V":{"start":1,"ask":1},"W":["r","ask",1,60000,30],"N":{"retries":0}}',
  '["start","t.closed",5,1,"x"]',
  '[0,"Rate us 1-5",30,["1","5"]]',
  '["ask","t.ask",20,10,"p"]',
  '',
].join('\n');

describe('the run record', () => {
  it('is written in the stored format and reads back to the same run, log and transcript', () => {
    const record =
      newRunRecord(run) +
      stepLine(
        {
          nodeId: 'start',
          nodeType: 't.closed',
          startedAt: createdAt + 5,
          durationMs: 1,
          outcome: 'exited',
          exit: 'next',
        },
        createdAt,
      ) +
      messageLine({ from: 'bot', text: 'Rate us 1-5', at: createdAt + 30, quickReplies: ['1', '5'] }, createdAt) +
      stepLine(
        { nodeId: 'ask', nodeType: 't.ask', startedAt: createdAt + 20, durationMs: 10, outcome: 'paused' },
        createdAt,
      );
    expect(record).toBe(stored);

    const read = readRunRecord(stored, 'r1');
    expect(read.run).toEqual(run);
    expect(runOfRecord(stored, 'r1')).toEqual(run);
    expect(read.steps).toEqual([
      {
        nodeId: 'start',
        nodeType: 't.closed',
        startedAt: createdAt + 5,
        durationMs: 1,
        outcome: 'exited',
        exit: 'next',
      },
      { nodeId: 'ask', nodeType: 't.ask', startedAt: createdAt + 20, durationMs: 10, outcome: 'paused' },
    ]);
    expect(read.transcript).toEqual([
      { from: 'bot', text: 'Rate us 1-5', at: createdAt + 30, quickReplies: ['1', '5'] },
    ]);
  });

  it('reads the older form: the full state under long names and log entries as objects', () => {
    const { id: _id, ...state } = run;
    const entry = { nodeId: 'start', nodeType: 't.closed', startedAt: createdAt + 5, durationMs: 1, outcome: 'exited' };
    const older = `${JSON.stringify({ ...state, id: 'r1' })}\n${JSON.stringify(entry)}\n`;
    const read = readRunRecord(older, 'r1');
    expect(read.run).toEqual(run);
    expect(read.steps).toEqual([entry]);
  });

  it('replays a deadline an earlier release stored as "timeout" on a step cut short by a crash', () => {
    const midStep: RunState = {
      ...run,
      status: 'running',
      wait: null,
      inflight: { nodeId: 'ask', startedAt: createdAt + 60_000, started: true, resume: { kind: 'deadline' } },
    };
    const record = newRunRecord(midStep);
    expect(record).toContain('{"kind":"deadline"}');
    const earlier = record.replace('{"kind":"deadline"}', '{"kind":"timeout"}');
    expect(readRunRecord(earlier, 'r1').run.inflight?.resume).toEqual({ kind: 'deadline' });
  });

  it('keeps the channel connection a run came through', () => {
    const bound: RunState = {
      ...run,
      channel: { kind: 'chatwoot', connectionId: 'support', conversation: '10', contact: '12', inbox: '1' },
    };
    expect(runOfRecord(newRunRecord(bound), 'r1')).toEqual(bound);
    expect(runOfRecord(newRunRecord(run), 'r1').channel).toBeUndefined();
  });

  it('keeps what a step sent and received in its entry, and nothing extra for a step without', () => {
    const entry = {
      nodeId: 'crm',
      nodeType: 'http.request',
      startedAt: createdAt + 50,
      durationMs: 120,
      outcome: 'exited' as const,
      exit: 'success',
      note: 'POST https://crm.example.com/csat → HTTP 201',
      sent: { method: 'POST', headers: { Authorization: 'Bearer [secret:crm-token]' }, body: { rating: 4 } },
      received: { status: 201, body: { id: 'csat-9' } },
    };
    const line = stepLine(entry, createdAt);
    expect(JSON.parse(line)).toEqual([
      'crm',
      'http.request',
      50,
      120,
      'x',
      'success',
      { note: entry.note, sent: entry.sent, received: entry.received },
    ]);
    expect(readRunRecord(newRunRecord(run) + line, 'r1').steps).toEqual([entry]);
    const { sent: _sent, received: _received, note: _note, ...plain } = entry;
    expect(stepLine(plain, createdAt)).toBe('["crm","http.request",50,120,"x","success"]\n');
  });
});
