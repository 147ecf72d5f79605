import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closedEvent, eventually, type Harness, harness, runReaches, workflow } from '../runtime/test-kit.ts';

/**
 * Every key a Lua script touches comes in its KEYS, which Redis needs to route a script (Redis
 * Cluster) and to know what it reads and writes. Watched with MONITOR, which shows each script
 * call followed by the commands it runs, while a run goes through every script of the product.
 */

interface Monitored {
  source: string;
  args: string[];
}

let h: Harness;
let monitor: Redis;
const seen: Monitored[] = [];
beforeEach(async () => {
  h = await harness();
  seen.length = 0;
  monitor = await new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').monitor();
  monitor.on('monitor', (_time: string, args: string[], source: string) => seen.push({ source, args }));
});
afterEach(async () => {
  monitor.disconnect();
  await h.cleanup();
});

/** The one script that reads keys named by data it reads (see `run-active-states.lua`). */
const readsFoundKeys = (keys: string[]) =>
  keys.length === 2 && keys[0] === `${h.prefix}wf:active-runs` && keys[1] === `${h.prefix}wf:published`;

/** The keys of a command, as Redis itself finds them. */
async function keysOf(args: string[]): Promise<string[]> {
  const [name = '', ...rest] = args;
  const reply = await h.redis.call('COMMAND', 'GETKEYS', name, ...rest);
  return Array.isArray(reply) ? reply.map(String) : [];
}

describe('Lua scripts', () => {
  it('touch only keys passed in KEYS, through a run from enrolment to end and a workflow deleted under it', async () => {
    const rt = await h.start({ worker: false, runLockMs: 300, requeueAfterMs: 100 });
    rt.startWorker({ concurrency: 4, timerPollMs: 20, requeueSweepMs: 50 });
    const ask = { id: 'ask', type: 'test.ask', data: { question: 'Rate us 1-5', saveAs: 'rating' } };
    const gated = workflow(
      'gated',
      [{ id: 'start', type: 'test.closed', data: {} }, ask, { id: 'act', type: 'test.action', data: { gated: true } }],
      ['start>ask', 'ask:answered>act'],
    );
    const plain = workflow(
      'plain',
      [{ id: 'start', type: 'test.closed', data: { channel: 'sms' } }, ask],
      ['start>ask'],
    );
    await rt.api.workflows.create(gated);
    await rt.api.workflows.update('gated', { ...gated, name: 'Gated' });
    await rt.api.workflows.publish('gated');
    await rt.api.workflows.create(plain);
    await rt.api.workflows.publish('plain');

    // A reply with an event id, to a run that then works quietly past the requeue threshold
    // (its lock kept alive) while its workflow is deleted; its end deletes the versions.
    const first = closedEvent();
    const [gatedRun] = await rt.api.triggers.conversationClosed(first);
    if (!gatedRun) throw new Error('no run enrolled');
    await runReaches(rt, gatedRun, 'waiting');
    const reply = { conversationId: first.conversation.id, contactId: first.contact.id, text: '4' };
    expect(await rt.api.inbound({ ...reply, eventId: 'reply-1' })).toBe(gatedRun);
    const gate = h.probe.gate('act');
    await eventually('the gated step', async () => (gate.reached ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 400));
    await rt.api.workflows.delete('gated', 'finish');
    gate.open();
    await runReaches(rt, gatedRun, 'completed');
    expect(await h.redis.exists(`${h.prefix}wf:gated:versions`)).toBe(0);

    // A reply without an event id; then the workflow is unpublished.
    const second = closedEvent({ channel: 'sms' });
    const [plainRun] = await rt.api.triggers.conversationClosed(second);
    if (!plainRun) throw new Error('no run enrolled');
    await runReaches(rt, plainRun, 'waiting');
    await rt.api.inbound({ conversationId: second.conversation.id, contactId: second.contact.id, text: '5' });
    await runReaches(rt, plainRun, 'completed');
    await rt.api.workflows.unpublish('plain');

    const bull = `${h.prefix}bull:`;
    let script: string[] | null = null;
    const outside: string[] = [];
    const run = new Set<string>();
    for (const { source, args } of seen) {
      const name = (args[0] ?? '').toUpperCase();
      if (source !== 'lua') {
        script = name === 'EVALSHA' || name === 'EVAL' ? args.slice(3, 3 + Number(args[2])) : script;
        continue;
      }
      // BullMQ's own scripts are not ours to check.
      const keys = (await keysOf(args)).filter((key) => key.startsWith(h.prefix) && !key.startsWith(bull));
      if (keys.length === 0 || script === null) continue;
      run.add(name);
      if (readsFoundKeys(script) && (name === 'GET' || name === 'HKEYS')) continue;
      for (const key of keys) if (!script.includes(key)) outside.push(`${args.join(' ')}`);
    }

    expect(outside).toEqual([]);
    // The scripts ran: enrolment, fenced writes and their peek, lock upkeep, the requeue
    // claim, reply filing, the end of a run of a deleted workflow, the workflow store's.
    expect([...run]).toEqual(
      expect.arrayContaining(['SET', 'LINDEX', 'PEXPIRE', 'ZSCORE', 'RPUSH', 'HINCRBY', 'HMGET', 'EXISTS', 'DEL']),
    );
  });
});
