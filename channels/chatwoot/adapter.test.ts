import {
  ChannelAuthError,
  type ChannelBinding,
  type ChannelCallContext,
  type ChannelEvent,
  type InboundCall,
  type OutboundOption,
  StepError,
} from '@convoflow/engine';
import { outboundFetch } from '@convoflow/engine/net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ChatwootStandIn, chatwootSignatureHeaders, startChatwoot } from '../../test/stand-ins/chatwoot.ts';
import { startLocalServer } from '../../test/support/http-server.ts';
import { chatwootAdapter } from './adapter.ts';
import type { ChatwootConnection } from './api.ts';
import { chatwoot } from './definition.ts';

const secret = 'cw-webhook-secret-5f2a9c';
const urlToken = 'url-token-1b7e44d0';
const apiAccessToken = 'cw-api-token-8d31';

let standIn: ChatwootStandIn;
const closers: Array<() => Promise<void>> = [];

beforeEach(async () => {
  standIn = await startChatwoot({ accountId: 3, apiAccessToken, webhookSecret: secret });
  closers.push(() => standIn.close());
});
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

function connectionTo(
  chatwootUrl: string,
  overrides: { accountId?: number; apiAccessToken?: string; webhookSecret?: string | null } = {},
): ChatwootConnection {
  const webhookSecret = overrides.webhookSecret === undefined ? secret : overrides.webhookSecret;
  return {
    id: 'cw-conn-1',
    name: 'Support Chatwoot',
    settings: chatwoot.settings.parse({ baseUrl: chatwootUrl, accountId: overrides.accountId ?? 3 }),
    secrets: chatwoot.secrets.parse({
      apiAccessToken: overrides.apiAccessToken ?? apiAccessToken,
      ...(webhookSecret === null ? {} : { webhookSecret }),
    }),
  };
}

function context(): ChannelCallContext {
  return { fetch: outboundFetch(true), signal: new AbortController().signal, now: Date.now };
}

type Received = { events: ChannelEvent[] } | { refused: number; reason: string };

/**
 * Our side of the wire, as the engine would hold it: real HTTP on 127.0.0.1 that turns each call
 * into an `InboundCall` (the URL token checked like the engine checks it) and asks the adapter.
 */
async function startReceiver(connection: ChatwootConnection) {
  const received: Received[] = [];
  const server = await startLocalServer((request) => {
    const url = new URL(request.url, 'http://receiver');
    const shortcut = /^\/shortcut\/([^/]+)$/.exec(url.pathname);
    const call: InboundCall = {
      method: 'POST',
      endpoint: shortcut ? 'shortcut/:workflowId' : 'webhook',
      params: shortcut ? { workflowId: decodeURIComponent(shortcut[1]!) } : {},
      query: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value[0] : value]),
      ),
      rawBody: Buffer.from(request.rawBody),
      receivedAt: Date.now(),
      urlTokenValid: url.searchParams.get('token') === urlToken,
    };
    try {
      const result = chatwootAdapter.receive(call, connection);
      if (result.kind !== 'events') throw new Error('Chatwoot calls are never handshakes');
      received.push({ events: result.events });
      return { status: 200, body: { ok: true } };
    } catch (error) {
      if (!(error instanceof ChannelAuthError)) throw error;
      received.push({ refused: error.status, reason: error.message });
      return { status: error.status, body: { error: error.message } };
    }
  });
  closers.push(() => server.close());
  return {
    webhookUrl: `${server.url}/webhook`,
    tokenUrl: (path: string) => `${server.url}/${path}?token=${urlToken}`,
    last: (): Received => {
      const result = received.at(-1);
      if (!result) throw new Error('nothing was received');
      return result;
    },
    received,
  };
}

/** A stand-in wired to a receiver through its webhook URL (signed, unless the install is an older one). */
async function wired(options: { signed?: boolean; webhookSecret?: string | null } = {}) {
  if (options.signed === false) {
    await standIn.close();
    standIn = await startChatwoot({ accountId: 3, apiAccessToken });
  }
  const connection = connectionTo(standIn.url, { webhookSecret: options.webhookSecret });
  const receiver = await startReceiver(connection);
  standIn.setWebhookUrl(options.signed === false ? receiver.tokenUrl('webhook') : receiver.webhookUrl);
  return { connection, receiver };
}

function eventsOf(result: Received): ChannelEvent[] {
  if ('refused' in result) throw new Error(`refused ${result.refused}: ${result.reason}`);
  return result.events;
}

/** A crafted call to the webhook endpoint, as the engine would hand it over. */
function craftedCall(payload: unknown, headers: Record<string, string>, overrides: Partial<InboundCall> = {}) {
  return {
    method: 'POST' as const,
    endpoint: 'webhook',
    params: {},
    query: {},
    headers,
    rawBody: Buffer.from(JSON.stringify(payload)),
    receivedAt: Date.now(),
    urlTokenValid: false,
    ...overrides,
  };
}

function refusal(run: () => unknown): ChannelAuthError {
  try {
    run();
  } catch (error) {
    if (error instanceof ChannelAuthError) return error;
    throw error;
  }
  throw new Error('the call was accepted');
}

async function stepError(promise: Promise<unknown>): Promise<StepError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StepError) return error;
    throw error;
  }
  throw new Error('the call succeeded');
}

const stars: OutboundOption[] = [1, 2, 3, 4, 5].map((n) => ({
  id: `cf1:run-7:ask:${n - 1}`,
  title: '⭐'.repeat(n),
  value: String(n),
}));
const nps: OutboundOption[] = Array.from({ length: 11 }, (_, n) => ({
  id: `cf1:run-7:nps:${n}`,
  title: String(n),
  value: String(n),
}));

/** Sends one message of run-7, as the engine would for a step. */
function ask(connection: ChatwootConnection, binding: ChannelBinding, text: string, options?: OutboundOption[]) {
  const message = { runId: 'run-7', text, idempotencyKey: `run-7:${text}`, ...(options ? { options } : {}) };
  return chatwootAdapter.send(connection, binding, message, context());
}

function bindingFor(conversation: number, channel: string, textOnly: boolean): ChannelBinding {
  return {
    kind: 'chatwoot',
    connectionId: 'cw-conn-1',
    conversation: String(conversation),
    contact: '12',
    channel,
    textOnly,
  };
}

describe('the Chatwoot adapter', () => {
  describe('receiving a webhook', () => {
    it('reads a signed conversation_status_changed to resolved as a closed event, keyed by X-Chatwoot-Delivery', async () => {
      const { receiver } = await wired();
      const conversation = standIn.conversation(10);
      conversation.labels = ['billing', 'vip'];
      conversation.assignee = { id: 1, name: 'John Agent' };
      conversation.team = { id: 4, name: 'Tier 2' };

      const delivery = await standIn.resolve(10);

      expect(delivery.status).toBe(200);
      const [closed, ...rest] = eventsOf(receiver.received.at(-2)!);
      expect(rest).toEqual([]);
      expect(closed).toEqual({
        type: 'closed',
        deliveryId: delivery.deliveryId,
        binding: {
          kind: 'chatwoot',
          connectionId: 'cw-conn-1',
          conversation: '10',
          contact: '12',
          inbox: '2',
          channel: 'Channel::Whatsapp',
          textOnly: false,
        },
        conversation: { channel: 'Channel::Whatsapp', labels: ['billing', 'vip'] },
        contact: { id: '12', name: 'Jane Doe', phone: '+15550100', email: 'jane@example.com' },
        assignee: { id: '1', name: 'John Agent' },
        team: { id: '4', name: 'Tier 2' },
      });
      // The activity message Chatwoot posts about the resolve is not the contact's.
      expect(eventsOf(receiver.last())).toEqual([]);
    });

    it('gives a redelivery of the same webhook the same delivery id', async () => {
      const { receiver } = await wired();
      const first = await standIn.resolve(10);
      const firstEvents = eventsOf(receiver.received.at(-2)!);
      const again = await standIn.redeliver(first);
      expect(again.deliveryId).toBe(first.deliveryId);
      expect(eventsOf(receiver.last())[0]?.deliveryId).toBe(firstEvents[0]?.deliveryId);
    });

    it('accepts an unsigned call from an older Chatwoot through the URL token, keyed by conversation and updated_at', async () => {
      const { receiver } = await wired({ signed: false, webhookSecret: null });
      const delivery = await standIn.resolve(12);
      expect(delivery.headers['x-chatwoot-signature']).toBeUndefined();
      const [closed] = eventsOf(receiver.received.at(-2)!);
      expect(closed).toMatchObject({
        type: 'closed',
        deliveryId: `conv:12:${delivery.payload.updated_at}`,
        binding: { conversation: '12', channel: 'Channel::Email', textOnly: true },
      });
    });

    it('refuses a call whose signature does not match the webhook secret', () => {
      const connection = connectionTo(standIn.url);
      const payload = { event: 'conversation_status_changed', id: 10, status: 'resolved' };
      const headers = chatwootSignatureHeaders('some-other-secret', JSON.stringify(payload));
      const error = refusal(() => chatwootAdapter.receive(craftedCall(payload, headers), connection));
      expect(error.status).toBe(401);
      expect(error.message).toMatch(/does not match the webhook secret/);
    });

    it('refuses a correctly signed call whose timestamp is more than 5 minutes old, saying how old', () => {
      const connection = connectionTo(standIn.url);
      const payload = { event: 'conversation_status_changed', id: 10, status: 'resolved' };
      const now = Math.floor(Date.now() / 1000) * 1000;
      const headers = chatwootSignatureHeaders(secret, JSON.stringify(payload), now - 612_000);
      const error = refusal(() =>
        chatwootAdapter.receive(craftedCall(payload, headers, { receivedAt: now }), connection),
      );
      expect(error.status).toBe(401);
      expect(error.message).toMatch(/^The signature timestamp is 612 s old/);
    });

    it('refuses an unsigned call once the connection has the webhook secret, and a wrong token without it', () => {
      const payload = { event: 'conversation_status_changed', id: 10, status: 'resolved' };
      const signedConnection = connectionTo(standIn.url);
      const missing = refusal(() => chatwootAdapter.receive(craftedCall(payload, {}), signedConnection));
      expect(missing.message).toMatch(/^The call has no X-Chatwoot-Signature/);

      const olderInstall = connectionTo(standIn.url, { webhookSecret: null });
      const wrongToken = refusal(() =>
        chatwootAdapter.receive(craftedCall(payload, {}, { query: { token: 'guess' } }), olderInstall),
      );
      expect(wrongToken.status).toBe(401);
      expect(wrongToken.message).toMatch(/^The URL's token is not this connection's, and .* has no webhook secret/);
    });

    it('refuses a stale signature even with the URL token once the webhook secret is set, and takes the token without it', () => {
      const payload = resolvedPayload();
      const now = Math.floor(Date.now() / 1000) * 1000;
      const headers = chatwootSignatureHeaders(secret, JSON.stringify(payload), now - 3_600_000);
      const stale = refusal(() =>
        chatwootAdapter.receive(
          craftedCall(payload, headers, { urlTokenValid: true, receivedAt: now }),
          connectionTo(standIn.url),
        ),
      );
      expect(stale.message).toMatch(/^The signature timestamp is 3600 s old/);
      const olderInstall = connectionTo(standIn.url, { webhookSecret: null });
      const result = chatwootAdapter.receive(craftedCall(payload, {}, { urlTokenValid: true }), olderInstall);
      expect(result).toMatchObject({ kind: 'events', events: [{ type: 'closed' }] });
    });

    it("reads a contact's message as a message event, with the inbox deciding whether options show", async () => {
      const { receiver } = await wired();
      const delivery = await standIn.incomingMessage(11, 'The answer is 4');
      const [message] = eventsOf(receiver.last());
      expect(message).toEqual({
        type: 'message',
        deliveryId: delivery.deliveryId,
        binding: {
          kind: 'chatwoot',
          connectionId: 'cw-conn-1',
          conversation: '11',
          contact: '12',
          inbox: '1',
          channel: 'Channel::WebWidget',
          textOnly: false,
        },
        contact: { id: '12', name: 'Jane Doe', phone: '+15550100', email: 'jane@example.com' },
        text: 'The answer is 4',
      });

      await standIn.incomingMessage(12, 'by mail');
      expect(eventsOf(receiver.last())[0]).toMatchObject({
        binding: { channel: 'Channel::Email', textOnly: true },
        text: 'by mail',
      });
    });

    it("keys an unsigned contact's message by its message id", async () => {
      const { receiver } = await wired({ signed: false, webhookSecret: null });
      const delivery = await standIn.incomingMessage(10, '5');
      expect(eventsOf(receiver.last())[0]).toMatchObject({ type: 'message', deliveryId: `msg:${delivery.payload.id}` });
    });

    it('accepts message_type as the enum number 0 too', () => {
      const connection = connectionTo(standIn.url, { webhookSecret: null });
      const payload = { ...contactMessagePayload(), message_type: 0 };
      const result = chatwootAdapter.receive(craftedCall(payload, {}, { urlTokenValid: true }), connection);
      expect(result).toMatchObject({ events: [{ type: 'message', text: '4', deliveryId: 'msg:5001' }] });
    });

    it('ignores our own message echoed back, private notes and activity messages', async () => {
      const { connection, receiver } = await wired();
      const sent = await ask(connection, bindingFor(11, 'Channel::WebWidget', false), 'How did we do?', stars);
      const echo = await standIn.echoOutgoing(Number(sent.messageId));
      expect(echo.payload).toMatchObject({ message_type: 'outgoing', content_type: 'input_select' });
      expect(eventsOf(receiver.last())).toEqual([]);

      const note = await standIn.privateNote(11, 'Customer sounded upset');
      expect(note.payload).toMatchObject({ private: true });
      expect(eventsOf(receiver.last())).toEqual([]);

      await standIn.resolve(11);
      expect(receiver.received.slice(-1)).toEqual([{ events: [] }]);
      expect(standIn.deliveries.at(-1)?.payload).toMatchObject({ message_type: 'activity' });
    });

    it("reads the web widget's answer to an input_select as a tap on the option id, one answer per message", async () => {
      const { connection, receiver } = await wired();
      const sent = await ask(connection, bindingFor(11, 'Channel::WebWidget', false), 'How did we do?', stars);
      await standIn.submitSelect(Number(sent.messageId), { title: '⭐⭐⭐⭐' });
      const [answer] = eventsOf(receiver.last());
      expect(answer).toMatchObject({
        type: 'message',
        deliveryId: `msg:${sent.messageId}:submitted`,
        binding: { conversation: '11', contact: '12' },
        contact: { id: '12', name: 'Jane Doe' },
        text: '⭐⭐⭐⭐',
        tapped: { id: 'cf1:run-7:ask:3' },
      });
      // A later update of the same message (read receipts) carries the values again, under a new delivery.
      await standIn.submitSelect(Number(sent.messageId), { title: '⭐⭐⭐⭐' });
      expect(eventsOf(receiver.last())[0]?.deliveryId).toBe(answer?.deliveryId);
    });

    it('reads a macro sent to the shortcut URL as a shortcut run of the workflow named in the path', async () => {
      const { receiver } = await wired();
      const conversation = standIn.conversation(10);
      const delivery = await standIn.runMacro(10, receiver.tokenUrl('shortcut/wf-csat'));
      expect(delivery.headers['x-chatwoot-signature']).toBeUndefined();
      expect(eventsOf(receiver.last())).toEqual([
        {
          type: 'shortcut',
          deliveryId: `macro:10:wf-csat:${conversation.updatedAt}`,
          workflowId: 'wf-csat',
          binding: expect.objectContaining({ conversation: '10', contact: '12', channel: 'Channel::Whatsapp' }),
          contact: { id: '12', name: 'Jane Doe', phone: '+15550100', email: 'jane@example.com' },
        },
      ]);
    });

    it('refuses a macro call without the URL token', async () => {
      const { receiver } = await wired();
      const url = receiver.tokenUrl('shortcut/wf-csat').replace(/\?token=.*$/, '');
      const delivery = await standIn.runMacro(10, url);
      expect(delivery.status).toBe(401);
      expect(receiver.last()).toMatchObject({ refused: 401, reason: expect.stringMatching(/macro cannot sign/) });
    });

    it('reads payloads it does not handle as no events, not as errors', () => {
      const connection = connectionTo(standIn.url, { webhookSecret: null });
      const accepted = (payload: unknown) =>
        chatwootAdapter.receive(craftedCall(payload, {}, { urlTokenValid: true }), connection);
      expect(accepted({ ...resolvedPayload(), event: 'conversation_created' })).toEqual({ kind: 'events', events: [] });
      expect(accepted({ ...resolvedPayload(), status: 'open' })).toEqual({ kind: 'events', events: [] });
      expect(accepted({ event: 'message_created', id: 'x' })).toEqual({ kind: 'events', events: [] });
      expect(accepted([1, 2])).toEqual({ kind: 'events', events: [] });
      const garbage = { ...craftedCall({}, {}, { urlTokenValid: true }), rawBody: Buffer.from('not json{') };
      expect(chatwootAdapter.receive(garbage, connection)).toEqual({ kind: 'events', events: [] });
    });
  });

  describe('sending', () => {
    it('sends a question as input_select on a website inbox, each value the option id', async () => {
      const connection = connectionTo(standIn.url);
      const { messageId } = await ask(connection, bindingFor(11, 'Channel::WebWidget', false), 'How did we do?', stars);
      const message = await standIn.nextMessage(11);
      expect(messageId).toBe(String(message.id));
      expect(message).toMatchObject({
        content: 'How did we do?',
        contentType: 'input_select',
        private: false,
        contentAttributes: { items: stars.map((option) => ({ title: option.title, value: option.id })) },
      });
    });

    it('sends numbered text on an e-mail inbox, numbering ratings by value and choices by position', async () => {
      const connection = connectionTo(standIn.url);
      const binding = bindingFor(12, 'Channel::Email', true);
      await ask(connection, binding, 'How did we do?', stars);
      expect(await standIn.nextMessage(12)).toMatchObject({
        contentType: 'text',
        content: 'How did we do?\n\n1. ⭐\n2. ⭐⭐\n3. ⭐⭐⭐\n4. ⭐⭐⭐⭐\n5. ⭐⭐⭐⭐⭐',
      });

      const topics = ['Billing', 'Delivery'].map((title, index) => ({
        id: `cf1:run-7:t:${index}`,
        title,
        value: title,
      }));
      await ask(connection, binding, 'What was it about?', topics);
      expect((await standIn.nextMessage(12)).content).toBe('What was it about?\n\n1. Billing\n2. Delivery');
    });

    it('sends 11 options on a WhatsApp inbox as text (WhatsApp lists hold 10), and 5 as input_select', async () => {
      const connection = connectionTo(standIn.url);
      const binding = bindingFor(10, 'Channel::Whatsapp', false);
      await ask(connection, binding, 'How likely are you to recommend us?', nps);
      const text = await standIn.nextMessage(10);
      expect(text.contentType).toBe('text');
      expect(text.content).toBe(`How likely are you to recommend us?\n\n${nps.map((o) => o.value).join('\n')}`);

      await ask(connection, binding, 'How did we do?', stars);
      expect((await standIn.nextMessage(10)).contentType).toBe('input_select');
    });

    it('sends a plain message as text', async () => {
      await ask(connectionTo(standIn.url), bindingFor(10, 'Channel::Whatsapp', false), 'Thanks for your answer!');
      expect(await standIn.nextMessage(10)).toMatchObject({ content: 'Thanks for your answer!', contentType: 'text' });
    });

    it("fails retryably on a 500 and on a 429, carrying Chatwoot's words and Retry-After", async () => {
      const connection = connectionTo(standIn.url);
      const send = () => ask(connection, bindingFor(10, 'Channel::Whatsapp', false), 'Hi');
      standIn.failNext(1, 500);
      const down = await stepError(send());
      expect(down.retryable).toBe(true);
      expect(down.message).toMatch(/HTTP 500: "Internal Server Error"/);

      standIn.failNext(1, 429, { retryAfterSeconds: 7 });
      const limited = await stepError(send());
      expect(limited.retryable).toBe(true);
      expect(limited.message).toMatch(/HTTP 429: "Retry later".*retry after 7 s/);
      expect(standIn.messages).toHaveLength(0);
    });

    it('fails for good on a refused token or an unknown conversation, saying which', async () => {
      const refused = await stepError(
        ask(connectionTo(standIn.url, { apiAccessToken: 'wrong' }), bindingFor(10, 'Channel::Whatsapp', false), 'Hi'),
      );
      expect(refused.retryable).toBe(false);
      expect(refused.message).toMatch(/HTTP 401: "Invalid Access Token".*refused the API access token/);
      expect(refused.message).not.toContain('wrong');

      const missing = await stepError(
        ask(connectionTo(standIn.url), bindingFor(999, 'Channel::Whatsapp', false), 'Hi'),
      );
      expect(missing.retryable).toBe(false);
      expect(missing.message).toMatch(/HTTP 404.*Account 3 or the conversation does not exist/);
    });

    it('fails retryably when Chatwoot cannot be reached', async () => {
      const gone = await startLocalServer(() => ({ status: 200 }));
      await gone.close();
      const error = await stepError(ask(connectionTo(gone.url), bindingFor(10, 'Channel::Whatsapp', false), 'Hi'));
      expect(error.retryable).toBe(true);
      expect(error.message).toMatch(/could not reach Chatwoot .*ECONNREFUSED/);
    });
  });

  describe('helpdesk steps', () => {
    const binding = bindingFor(10, 'Channel::Whatsapp', false);

    it('adds a private note', async () => {
      await chatwootAdapter.act!(
        connectionTo(standIn.url),
        binding,
        { action: 'note', text: 'Rated 2: call back' },
        context(),
      );
      expect(await standIn.nextMessage(10)).toMatchObject({ content: 'Rated 2: call back', private: true });
    });

    it('adds labels to the ones the conversation has, since Chatwoot replaces the list', async () => {
      standIn.conversation(10).labels = ['billing'];
      await chatwootAdapter.act!(
        connectionTo(standIn.url),
        binding,
        { action: 'labels', labels: ['csat-low', 'billing'] },
        context(),
      );
      expect(standIn.conversation(10).labels).toEqual(['billing', 'csat-low']);
      expect(standIn.calls.map((call) => `${call.method} ${call.path}`)).toEqual([
        'GET /api/v1/accounts/3/conversations/10/labels',
        'POST /api/v1/accounts/3/conversations/10/labels',
      ]);
    });

    it('assigns the team, then the agent', async () => {
      await chatwootAdapter.act!(
        connectionTo(standIn.url),
        binding,
        { action: 'assign', assignee: { agentId: '5', teamId: '2' } },
        context(),
      );
      expect(standIn.calls.map((call) => call.body)).toEqual([{ team_id: 2 }, { assignee_id: 5 }]);
      expect(standIn.conversation(10)).toMatchObject({ assignee: { id: 5 }, team: { id: 2 } });
    });

    it('resolves the conversation', async () => {
      await chatwootAdapter.act!(connectionTo(standIn.url), binding, { action: 'resolve' }, context());
      expect(standIn.calls.at(-1)).toMatchObject({
        path: '/api/v1/accounts/3/conversations/10/toggle_status',
        body: { status: 'resolved' },
        status: 200,
      });
      expect(standIn.conversation(10).status).toBe('resolved');
    });
  });

  describe('checking a connection', () => {
    it('says which account it signed in to and its inboxes', async () => {
      const result = await chatwootAdapter.check(connectionTo(standIn.url), context());
      expect(result).toEqual({
        ok: true,
        detail: 'Signed in to account 3; 3 inboxes: Website, WhatsApp, Support e-mail.',
      });
    });

    it('says the token was refused, without showing it', async () => {
      const result = await chatwootAdapter.check(
        connectionTo(standIn.url, { apiAccessToken: 'not-the-token' }),
        context(),
      );
      expect(result).toMatchObject({
        ok: false,
        problem: expect.stringMatching(/^Chatwoot refused the API access token/),
      });
      expect(JSON.stringify(result)).not.toContain('not-the-token');
    });

    it('says the account does not exist', async () => {
      const result = await chatwootAdapter.check(connectionTo(standIn.url, { accountId: 4 }), context());
      expect(result).toMatchObject({
        ok: false,
        problem: expect.stringMatching(/^Account 4 does not exist on http:\/\/127\.0\.0\.1:\d+, or the token's user/),
      });
    });

    it('says Chatwoot could not be reached', async () => {
      const gone = await startLocalServer(() => ({ status: 200 }));
      await gone.close();
      const result = await chatwootAdapter.check(connectionTo(gone.url), context());
      expect(result).toMatchObject({
        ok: false,
        problem: expect.stringMatching(new RegExp(`^Could not reach ${gone.url}: .*ECONNREFUSED`)),
      });
    });
  });
});

/** A resolved conversation's payload, trimmed to what Chatwoot always sends. */
function resolvedPayload() {
  return {
    event: 'conversation_status_changed',
    id: 10,
    inbox_id: 2,
    channel: 'Channel::Whatsapp',
    status: 'resolved',
    labels: [],
    meta: { sender: { id: 12, name: 'Jane Doe', type: 'contact' }, assignee: null, team: null },
    updated_at: 1_767_603_600.5,
  };
}

function contactMessagePayload() {
  return {
    event: 'message_created',
    id: 5001,
    content: '4',
    message_type: 'incoming',
    content_type: 'text',
    content_attributes: {},
    private: false,
    sender: { id: 12, name: 'Jane Doe', type: 'contact' },
    inbox: { id: 2, name: 'WhatsApp' },
    conversation: { ...resolvedPayload(), status: 'open', event: undefined },
    account: { id: 3, name: 'Acme' },
  };
}
