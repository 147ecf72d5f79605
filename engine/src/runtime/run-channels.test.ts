import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelConnectionSummary } from '../contract/connections.ts';
import { AppError } from '../errors.ts';
import {
  type SentToTestChannel,
  type TestChannelEvent,
  testChannel,
  testChannelAdapter,
} from '../testing/test-channel.ts';
import type { ChannelCall } from './channel-receiver.ts';
import type { Runtime } from './options.ts';
import { eventually, type Harness, harness, runReaches, workflow } from './test-kit.ts';

/**
 * Runs that come through a channel connection, on the test channel (`testing/test-channel.ts`):
 * the engine's side of every adapter — connections, authentication, enrolment, the question's
 * options out and the tap back in — with no platform's quirks in the way.
 */

const KEY = 'test-chat-key-0123';
let h: Harness;
let rt: Runtime;
let sent: SentToTestChannel[];

const surveyed = workflow(
  'survey',
  [
    { id: 'start', type: 'test.closed', data: {} },
    { id: 'first', type: 'test.ask', data: { question: 'Rate us', saveAs: 'rating', retries: 0 } },
    { id: 'second', type: 'test.ask', data: { question: 'And the product?', saveAs: 'product', retries: 0 } },
  ],
  ['start>first', 'first:answered>second'],
);

const binding = { conversation: '10', contact: '12', inbox: 'web' };
const contact = { id: '12', name: 'Ada' };

function call(
  events: TestChannelEvent[],
  options: { path?: string; key?: string; query?: Record<string, string> } = {},
) {
  return {
    kind: testChannel.kind,
    connectionId: 'support',
    path: options.path ?? 'hook',
    method: 'POST',
    query: options.query ?? {},
    headers: options.key === undefined ? { 'x-test-key': KEY } : { 'x-test-key': options.key },
    rawBody: Buffer.from(JSON.stringify({ events })),
    receivedAt: Date.now(),
  } satisfies ChannelCall;
}

const closed = (deliveryId: string, over: Partial<typeof binding> = {}): TestChannelEvent => ({
  type: 'closed',
  deliveryId,
  binding: { ...binding, ...over },
  conversation: { channel: 'web' },
  contact,
});

const message = (
  deliveryId: string,
  text: string,
  extra: Partial<Extract<TestChannelEvent, { type: 'message' }>> = {},
): TestChannelEvent => ({ type: 'message', deliveryId, binding, contact, text, ...extra });

async function receive(events: TestChannelEvent[]) {
  const answer = await rt.api.channels.receive(call(events));
  expect(answer.status).toBe(200);
  return JSON.parse(answer.body) as { received: Array<{ type: string; runs: string[] }> };
}

beforeEach(async () => {
  sent = [];
  h = await harness();
  rt = await h.start({
    channels: {
      definitions: { [testChannel.kind]: testChannel },
      adapters: { [testChannel.kind]: testChannelAdapter(sent) },
    },
  });
  await rt.api.connections.create({
    id: 'support',
    type: 'channel',
    name: 'Support chat',
    channel: testChannel.kind,
    settings: {},
    secrets: { key: KEY },
  });
  await rt.api.workflows.create(surveyed);
  await rt.api.workflows.publish('survey');
});
afterEach(() => h.cleanup());

describe('a channel connection', () => {
  it('is checked against its channel, keeps its secrets and lists the URLs to paste, with a token where it takes one', async () => {
    const bad = (parts: { settings?: Record<string, unknown>; secrets: Record<string, string> }) =>
      rt.api.connections.create({ id: 'bad', type: 'channel', name: 'Bad', channel: testChannel.kind, ...parts });
    await expect(bad({ settings: { baseUrl: 'not a url' }, secrets: { key: KEY } })).rejects.toThrow(
      /^Invalid Test chat connection \(settings\.baseUrl\)/,
    );
    await expect(bad({ secrets: { key: 'short' } })).rejects.toThrow(
      /^Invalid Test chat connection \(secrets\.key\): .*at least 8 characters/s,
    );
    await expect(
      rt.api.connections.create({ id: 'x', type: 'channel', name: 'X', channel: 'nope', settings: {}, secrets: {} }),
    ).rejects.toThrow('Unknown channel "nope"; this server knows: test-chat.');

    const summary = (await rt.api.connections.get('support')) as ChannelConnectionSummary;
    expect(JSON.stringify(summary)).not.toContain(KEY);
    expect(summary.settings).toEqual({ inboxName: 'main' });
    expect(summary.secretsSet).toEqual(['key']);
    expect(summary.endpoints.map((endpoint) => endpoint.url)).toEqual([
      expect.stringMatching(/^\/api\/channels\/test-chat\/support\/hook\?token=[\w-]{32}$/),
      expect.stringMatching(/^\/api\/channels\/test-chat\/support\/start\/:workflowId\?token=[\w-]{32}$/),
    ]);
    expect(await rt.api.connections.check('support')).toEqual({ ok: true, detail: 'Inbox main answers.' });
  });

  it('changes in place: settings merged, a secret added or replaced, its URLs and token kept', async () => {
    const before = (await rt.api.connections.get('support')) as ChannelConnectionSummary;
    const after = (await rt.api.connections.update('support', {
      name: 'Support chat (EU)',
      settings: { inboxName: 'eu' },
      secrets: { key: 'another-key-4567' },
    })) as ChannelConnectionSummary;
    expect(after).toMatchObject({ name: 'Support chat (EU)', settings: { inboxName: 'eu' }, secretsSet: ['key'] });
    expect(after.endpoints).toEqual(before.endpoints);
    await expect(rt.api.channels.receive(call([closed('d1')]))).rejects.toThrow('Send x-test-key');
    expect((await rt.api.channels.receive(call([closed('d1')], { key: 'another-key-4567' }))).status).toBe(200);
    await expect(rt.api.connections.update('support', { secrets: { key: 'short' } })).rejects.toThrow(/secrets\.key/);
  });

  it('refuses calls that are not its platform’s with one answer, whether or not the connection exists', async () => {
    const refusals = await Promise.all([
      rt.api.channels.receive(call([closed('d1')], { key: 'wrong-key-0000' })).catch((error: unknown) => error),
      rt.api.channels.receive({ ...call([closed('d1')]), connectionId: 'nobody' }).catch((error: unknown) => error),
      rt.api.channels.receive({ ...call([closed('d1')]), kind: 'other' }).catch((error: unknown) => error),
    ]);
    for (const refusal of refusals) expect(refusal).toBeInstanceOf(AppError);
    expect(refusals.map((refusal) => (refusal as AppError).status)).toEqual([401, 401, 401]);
    expect((refusals[0] as AppError).message).toBe('Send x-test-key, or use the URL with the token.');
    expect((refusals[1] as AppError).message).toBe((refusals[2] as AppError).message);
    // A path the channel does not have: the same 404 for a connection that exists and one that does not.
    const unrouted = await Promise.all(
      ['support', 'nobody'].map((connectionId) =>
        rt.api.channels.receive({ ...call([]), connectionId, path: 'elsewhere' }).catch((error: unknown) => error),
      ),
    );
    expect(unrouted.map((error) => [(error as AppError).status, (error as AppError).message])).toEqual([
      [404, 'No route POST /api/channels/test-chat/<connection>/elsewhere'],
      [404, 'No route POST /api/channels/test-chat/<connection>/elsewhere'],
    ]);
    expect(await rt.api.runs.list({ limit: 100 })).toEqual([]);

    const summary = (await rt.api.connections.get('support')) as ChannelConnectionSummary;
    const token = new URLSearchParams(summary.endpoints[0]?.url.split('?')[1]).get('token') ?? '';
    const byToken = await rt.api.channels.receive(call([closed('d2')], { key: '', query: { token } }));
    expect(byToken.status).toBe(200);
    await expect(
      rt.api.channels.receive(call([closed('d3')], { key: '', query: { token: `${token.slice(1)}x` } })),
    ).rejects.toThrow('Send x-test-key');
  });

  it('enrols a closed conversation once however often it is delivered, and asks through the adapter with options of this ask', async () => {
    const answers = await Promise.all([receive([closed('d1')]), receive([closed('d1')]), receive([closed('d1')])]);
    const runIds = new Set(answers.flatMap((answer) => answer.received.flatMap((event) => event.runs)));
    expect(runIds.size).toBe(1);
    const [runId = ''] = runIds;
    const run = await runReaches(rt, runId, 'waiting');
    expect(run.conversationId).toBe('test-chat:support:10');
    expect(run.contactId).toBe('test-chat:support:12');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.binding).toEqual({ kind: 'test-chat', connectionId: 'support', ...binding });
    expect(sent[0]?.message).toMatchObject({
      runId,
      text: 'Rate us',
      options: [
        { id: `cf1:${runId}:0:0`, title: '1', value: '1' },
        { id: `cf1:${runId}:0:1`, title: '5', value: '5' },
      ],
    });
    expect(run.transcript.at(-1)).toMatchObject({ from: 'bot', text: 'Rate us', quickReplies: ['1', '5'] });
  });

  it('takes a tap as its option’s value, and a tap on an older question’s option as no answer', async () => {
    const [runId = ''] = (await receive([closed('d1')])).received[0]?.runs ?? [];
    await runReaches(rt, runId, 'waiting');
    const firstAsk = sent[0]?.message.options ?? [];

    await receive([message('m1', '⭐⭐⭐⭐⭐', { tapped: { id: firstAsk[1]?.id ?? '' } })]);
    await eventually('the second question', async () => (sent.length === 2 ? true : undefined));
    const second = await runReaches(rt, runId, 'waiting', (run) => run.currentNodeId === 'second');
    expect(second.variables.rating).toBe(5);

    const stale = await receive([message('m2', '1', { tapped: { id: firstAsk[0]?.id ?? '' } })]);
    expect(stale.received).toEqual([{ type: 'stale-tap', runs: [] }]);
    const typedTitle = await receive([message('m3', '1')]);
    expect(typedTitle.received[0]?.runs).toEqual([runId]);
    const done = await runReaches(rt, runId, 'completed');
    expect(done.variables.product).toBe(1);
  });

  it('finds the question’s run when the platform files the reply under a new conversation of the same contact', async () => {
    const [runId = ''] = (await receive([closed('d1')])).received[0]?.runs ?? [];
    await runReaches(rt, runId, 'waiting');
    const reply = await receive([{ ...message('m1', '5'), binding: { ...binding, conversation: '11' } }]);
    expect(reply.received[0]?.runs).toEqual([runId]);
    const run = await runReaches(rt, runId, 'waiting', (candidate) => candidate.currentNodeId === 'second');
    expect(run.variables.rating).toBe(5);

    const elsewhere = await receive([
      { ...message('m2', '4'), binding: { ...binding, conversation: '12', inbox: 'mail' } },
    ]);
    expect(elsewhere.received[0]?.runs).toEqual([]);
  });

  it('starts a shortcut run of the workflow its URL names', async () => {
    const shortcutFlow = workflow(
      'nudge',
      [
        { id: 'start', type: 'test.shortcut', data: {} },
        { id: 'say', type: 'test.say', data: { text: 'Hello $contact.name' } },
      ],
      ['start>say'],
    );
    await rt.api.workflows.create(shortcutFlow);
    await rt.api.workflows.publish('nudge');
    const answer = await rt.api.channels.receive(
      call([{ type: 'shortcut', deliveryId: 's1', binding, contact, workflowId: '' }], { path: 'start/nudge' }),
    );
    const { received } = JSON.parse(answer.body) as { received: Array<{ runs: string[] }> };
    const [runId = ''] = received[0]?.runs ?? [];
    await runReaches(rt, runId, 'completed');
    expect(sent.map((entry) => entry.message.text)).toEqual(['Hello Ada']);
  });
});
