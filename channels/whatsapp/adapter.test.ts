import type { ChannelConnection, ChannelEvent, ChannelMessage, InboundCall, OutboundOption } from '@convoflow/engine';
import { outboundFetch } from '@convoflow/engine/net';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import {
  type MetaDelivery,
  metaDelivery,
  metaSignature,
  metaWebhooks,
  startWhatsAppCloud,
  type WhatsAppCloudStandIn,
} from '../../test/stand-ins/whatsapp-cloud.ts';
import { startLocalServer } from '../../test/support/http-server.ts';
import { whatsappAdapter } from './adapter.ts';
import { whatsapp } from './definition.ts';

const phoneNumberId = '106540352242922';
const secrets = {
  accessToken: 'EAAGtest-access-token-41',
  appSecret: 'app-secret-of-the-meta-app',
  verifyToken: 'vt-7',
};
const contact = '15550100';
const HOUR = 60 * 60 * 1000;

let cloud: WhatsAppCloudStandIn;
beforeEach(async () => {
  cloud = await startWhatsAppCloud({
    phoneNumberId,
    ...secrets,
    templates: [{ name: 'csat_rating', language: 'en_US', quickReplies: 10 }],
  });
});
afterEach(() => cloud.close());

function connection(settings: Record<string, unknown> = {}, secretOverrides: Partial<typeof secrets> = {}) {
  return {
    id: 'wa-main',
    name: 'Support number',
    settings: whatsapp.settings.parse({ phoneNumberId, graphBaseUrl: cloud.url, ...settings }),
    secrets: { ...secrets, ...secretOverrides },
  } satisfies ChannelConnection<typeof whatsapp>;
}

const context = () => ({ fetch: outboundFetch(true), signal: new AbortController().signal, now: () => Date.now() });

function call(delivery: Pick<MetaDelivery, 'rawBody' | 'headers'>): InboundCall {
  return {
    method: 'POST',
    endpoint: 'webhook',
    params: {},
    query: {},
    headers: delivery.headers,
    rawBody: Buffer.from(delivery.rawBody),
    receivedAt: Date.now(),
    urlTokenValid: false,
  };
}

function handshake(query: Record<string, string>): InboundCall {
  return { ...call({ rawBody: '', headers: {} }), method: 'GET', query };
}

function events(delivery: Pick<MetaDelivery, 'rawBody' | 'headers'>) {
  const result = whatsappAdapter.receive(call(delivery), connection());
  if (result.kind !== 'events') throw new Error(`expected events, got ${result.kind}`);
  return result.events;
}

/** The error a call that is not Meta's is refused with. */
const refused = (status: 401 | 403, words: RegExp) =>
  expect.objectContaining({ name: 'ChannelAuthError', status, message: expect.stringMatching(words) });

/** A send's failure, as the run's step records it. */
const stepError = (retryable: boolean, words: RegExp) =>
  expect.objectContaining({ name: 'StepError', retryable, message: expect.stringMatching(words) });

const webhooks = metaWebhooks({ phoneNumberId, appSecret: secrets.appSecret });
const binding = { kind: 'whatsapp', connectionId: 'wa-main', conversation: contact, contact, inbox: phoneNumberId };

const options = (titles: readonly string[]): OutboundOption[] =>
  titles.map((title, index) => ({ id: `cf1:run-1:w1:${index}`, title, value: String(index) }));

function question(titles: readonly string[], overrides: Partial<ChannelMessage> = {}): ChannelMessage {
  return {
    runId: 'run-1',
    text: 'How satisfied are you with our support?',
    options: options(titles),
    idempotencyKey: 'run-1:w1',
    contactLastMessageAt: Date.now() - HOUR,
    ...overrides,
  };
}

const send = (message: ChannelMessage, settings: Record<string, unknown> = { templateName: 'csat_rating' }) =>
  whatsappAdapter.send(connection(settings), binding, message, context());

describe('the WhatsApp adapter', () => {
  describe('verifying Meta’s calls', () => {
    it('answers the subscription handshake with the challenge when the verify token matches', () => {
      const result = whatsappAdapter.receive(
        handshake({ 'hub.mode': 'subscribe', 'hub.verify_token': 'vt-7', 'hub.challenge': '1158201444' }),
        connection(),
      );
      expect(result).toEqual({ kind: 'answer', status: 200, body: '1158201444', contentType: 'text/plain' });
    });

    it('refuses a handshake with another verify token, or that is not a subscription', () => {
      const wrongToken = handshake({ 'hub.mode': 'subscribe', 'hub.verify_token': 'vt-8', 'hub.challenge': '1' });
      expect(() => whatsappAdapter.receive(wrongToken, connection())).toThrow(
        refused(403, /verify token does not match/),
      );
      const notSubscribe = handshake({ 'hub.verify_token': 'vt-7', 'hub.challenge': '1' });
      expect(() => whatsappAdapter.receive(notSubscribe, connection())).toThrow(refused(403, /hub.mode=subscribe/));
    });

    it('refuses a POST without a signature, saying it is missing', () => {
      const { rawBody } = webhooks.text(contact, '4');
      expect(() => events({ rawBody, headers: { 'content-type': 'application/json' } })).toThrow(
        refused(401, /Missing X-Hub-Signature-256/),
      );
    });

    it('refuses a POST signed with another app secret, saying it is wrong', () => {
      const other = metaWebhooks({ phoneNumberId, appSecret: 'another-app-secret' }).text(contact, '4');
      expect(() => events(other)).toThrow(refused(401, /Wrong X-Hub-Signature-256/));
    });

    it('checks the exact bytes: the same body re-serialized with its unicode unescaped fails', () => {
      const delivery = webhooks.text(contact, 'Très bien ⭐ https://example.com/a');
      expect(events(delivery)).toHaveLength(1);
      const reserialized = JSON.stringify(JSON.parse(delivery.rawBody));
      expect(reserialized).not.toBe(delivery.rawBody);
      expect(() => events({ rawBody: reserialized, headers: delivery.headers })).toThrow(refused(401, /Wrong/));
    });
  });

  describe('reading Meta’s webhooks', () => {
    it('turns a text into a message bound to the contact’s wa_id on this number', () => {
      const delivery = webhooks.text(contact, 'Très bien ⭐', { name: 'Ada' });
      expect(events(delivery)).toEqual([
        {
          type: 'message',
          deliveryId: delivery.wamids[0],
          text: 'Très bien ⭐',
          contact: { id: contact, name: 'Ada', phone: `+${contact}` },
          binding,
        },
      ]);
    });

    it('reads a tapped reply button, list row and template quick reply as the option ids given', () => {
      const button = events(webhooks.buttonReply(contact, 'cf1:run-1:w1:2', 'Good', { contextId: 'wamid.Q' }));
      const row = events(webhooks.listReply(contact, 'cf1:run-1:w1:4', '⭐⭐⭐⭐⭐'));
      const template = events(webhooks.templateButton(contact, 'cf1:run-1:w1:0', 'Bad'));
      expect([...button, ...row, ...template]).toMatchObject([
        { type: 'message', text: 'Good', tapped: { id: 'cf1:run-1:w1:2' } },
        { type: 'message', text: '⭐⭐⭐⭐⭐', tapped: { id: 'cf1:run-1:w1:4' } },
        { type: 'message', text: 'Bad', tapped: { id: 'cf1:run-1:w1:0' } },
      ]);
    });

    it('gives one event per message of a batched POST, and ignores another number of the same app', () => {
      const first = webhooks.text(contact, '4');
      const second = webhooks.buttonReply('15550111', 'cf1:run-2:w1:0', 'Yes');
      const elsewhere = metaWebhooks({ phoneNumberId: '999000111', appSecret: secrets.appSecret }).text(contact, '1');
      const batch = webhooks.batch(first, elsewhere, second);
      expect(events(batch).map((event) => event.deliveryId)).toEqual([...first.wamids, ...second.wamids]);
    });

    it('gives no event for media (a survey’s answer is text or a tap), delivered statuses or an unreadable body', () => {
      const image = webhooks.text(contact, 'x');
      const message = (image.payload.entry[0]!.changes[0]!.value.messages as Record<string, unknown>[])[0]!;
      message.type = 'image';
      message.image = { id: '1234', mime_type: 'image/jpeg' };
      const delivered = webhooks.failedStatus('wamid.OURS');
      const status = (delivered.payload.entry[0]!.changes[0]!.value.statuses as Record<string, unknown>[])[0]!;
      status.status = 'delivered';
      delete status.errors;
      expect(events(metaDelivery(image.payload, secrets.appSecret))).toEqual([]);
      expect(events(metaDelivery(delivered.payload, secrets.appSecret))).toEqual([]);
      const notJson = '{"entry": [';
      expect(
        events({ rawBody: notJson, headers: { 'x-hub-signature-256': metaSignature(notJson, secrets.appSecret) } }),
      ).toEqual([]);
    });

    it('reads a failed status as undelivered, naming the run from biz_opaque_callback_data and Meta’s code', () => {
      const delivery = webhooks.failedStatus('wamid.OURS', { runId: 'run-1', code: 131047 });
      expect(events(delivery)).toEqual([
        {
          type: 'undelivered',
          deliveryId: 'wamid.OURS:failed',
          messageId: 'wamid.OURS',
          runId: 'run-1',
          code: '131047',
          reason: expect.stringMatching(/^Re-engagement message: .*24 hours/),
          windowClosed: true,
        },
      ]);
      const [other] = events(webhooks.failedStatus('wamid.OURS', { runId: 'run-1', code: 131026 }));
      expect(other).toMatchObject({ type: 'undelivered', code: '131026' });
      expect(other).not.toHaveProperty('windowClosed');
    });

    it('reads the stand-in’s webhooks as posted over HTTP, and a redelivery carries the same wamid', async () => {
      const seen = await receiveOverHttp();
      expect(await cloud.verify('vt-7', '42')).toEqual({ status: 200, body: '42' });
      const { wamid, status } = await cloud.text(contact, '5');
      expect(status).toBe(200);
      await cloud.redeliver();
      expect(seen.map((event) => event.deliveryId)).toEqual([wamid, wamid]);
    });

    it('hears of a sent message that failed later, with its run, and a contact writing reopens the window', async () => {
      const seen = await receiveOverHttp();
      cloud.closeWindow(contact);
      await expect(send(question(['Bad', 'Good']), {})).rejects.toThrow(stepError(false, /24-hour window/));
      await cloud.text(contact, 'hello again');
      const { messageId } = await send(question(['Bad', 'Good']), {});
      expect((await cloud.nextMessage(contact)).type).toBe('interactive');
      await cloud.failedStatus(messageId!, { code: 131026 });
      expect(seen.at(-1)).toEqual({
        type: 'undelivered',
        deliveryId: `${messageId}:failed`,
        messageId,
        runId: 'run-1',
        code: '131026',
        reason: 'Message undeliverable: Unable to deliver message.',
      });
    });
  });

  describe('sending', () => {
    it('sends up to 3 options as reply buttons with the option ids, titles cut to 20 characters', async () => {
      const result = await send(
        question(['Not helpful at all', 'Somewhat helpful here', 'Extremely helpful, thank you']),
      );
      const sent = await cloud.nextMessage(contact);
      expect(result).toEqual({ messageId: sent.id });
      expect(sent).toMatchObject({
        type: 'interactive',
        interactive: 'button',
        runId: 'run-1',
        text: 'How satisfied are you with our support?',
        choices: [
          { id: 'cf1:run-1:w1:0', title: 'Not helpful at all' },
          { id: 'cf1:run-1:w1:1', title: 'Somewhat helpful he…' },
          { id: 'cf1:run-1:w1:2', title: 'Extremely helpful, …' },
        ],
      });
    });

    it('sends 4 to 10 options as a list', async () => {
      const stars = ['⭐', '⭐⭐', '⭐⭐⭐', '⭐⭐⭐⭐', '⭐⭐⭐⭐⭐'];
      await send(question(stars));
      const sent = await cloud.nextMessage(contact);
      expect(sent).toMatchObject({ type: 'interactive', interactive: 'list' });
      expect(sent.choices).toEqual(stars.map((title, index) => ({ id: `cf1:run-1:w1:${index}`, title })));
      expect(sent.body).toMatchObject({ interactive: { action: { button: 'Choose' } } });
    });

    it('sends 11 options (NPS 0–10) as text saying which numbers to reply with', async () => {
      await send(question(Array.from({ length: 11 }, (_, score) => String(score))));
      const sent = await cloud.nextMessage(contact);
      expect(sent.type).toBe('text');
      expect(sent.text).toBe('How satisfied are you with our support?\n\nReply with a number from 0 to 10');
    });

    it('sends the template outside the 24-hour window, one quick reply per option whose payload is its id', async () => {
      await send(question(['Bad', 'OK', 'Good'], { contactLastMessageAt: Date.now() - 25 * HOUR }));
      const sent = await cloud.nextMessage(contact);
      expect(sent).toMatchObject({
        type: 'template',
        template: { name: 'csat_rating', language: 'en_US' },
        choices: [{ id: 'cf1:run-1:w1:0' }, { id: 'cf1:run-1:w1:1' }, { id: 'cf1:run-1:w1:2' }],
      });
      expect(sent.body).toMatchObject({
        template: {
          components: [{ type: 'button', sub_type: 'quick_reply', index: '0' }, { index: '1' }, { index: '2' }],
        },
      });
      expect(cloud.calls).toHaveLength(1);
    });

    it('sends an NPS 0–10 question outside the window as the template with no quick replies, which hold 10 at most', async () => {
      const scores = Array.from({ length: 11 }, (_, score) => String(score));
      await send(question(scores, { contactLastMessageAt: Date.now() - 25 * HOUR }));
      const sent = await cloud.nextMessage(contact);
      expect(sent).toMatchObject({ type: 'template', choices: [] });
      expect(sent.body).not.toHaveProperty('template.components');
    });

    it('sends the template to a contact it has no record of, and free-form when no template is configured', async () => {
      await send(question(['Bad', 'Good'], { contactLastMessageAt: undefined }));
      expect((await cloud.nextMessage(contact)).type).toBe('template');
      await send(question(['Bad', 'Good'], { contactLastMessageAt: undefined }), {});
      expect((await cloud.nextMessage(contact)).type).toBe('interactive');
    });

    it('falls back to the template once when Meta answers 131047 to the interactive message', async () => {
      cloud.closeWindow(contact);
      const result = await send(question(['Bad', 'Good']));
      expect(cloud.calls.map((graphCall) => graphCall.status)).toEqual([400, 200]);
      expect(cloud.messages).toHaveLength(1);
      expect(result).toEqual({ messageId: cloud.messages[0]!.id });
      expect(cloud.messages[0]!.type).toBe('template');
    });

    it('fails for good with Meta’s words when the window is closed and the template is refused too', async () => {
      cloud.closeWindow(contact);
      await expect(send(question(['Bad', 'Good']), { templateName: 'not_approved' })).rejects.toThrow(
        stepError(
          false,
          /24-hour window .*Re-engagement message.*template "not_approved" too: .*Template name does not exist/,
        ),
      );
      expect(cloud.calls).toHaveLength(2);
    });

    it('fails for good when the window is closed and no template is configured', async () => {
      cloud.closeWindow(contact);
      await expect(send(question(['Bad', 'Good']), {})).rejects.toThrow(
        stepError(false, /outside the 24-hour window .*configure an approved template/),
      );
    });

    it('fails retryably when Meta is down or throttling, with Meta’s words', async () => {
      cloud.failNext(1, 500);
      await expect(send(question(['Bad', 'Good']))).rejects.toThrow(stepError(true, /Service temporarily unavailable/));
      cloud.failNext(1, 429);
      await expect(send(question(['Bad', 'Good']))).rejects.toThrow(stepError(true, /Rate limit hit/));
    });

    it('fails for good when Meta refuses the access token (190), without showing it', async () => {
      const expired = connection({}, { accessToken: 'EAAGexpired-token-99' });
      const sending = whatsappAdapter.send(expired, binding, question(['Bad', 'Good']), context());
      await expect(sending).rejects.toThrow(stepError(false, /^Meta refused the access token \(expired\?\)/));
      await expect(sending).rejects.not.toThrow(/EAAGexpired-token-99/);
    });

    it('fails retryably when Meta cannot be reached', async () => {
      const gone = await closedPort();
      const sending = whatsappAdapter.send(connection({ graphBaseUrl: gone }), binding, question(['Bad']), context());
      await expect(sending).rejects.toThrow(
        stepError(true, /could not reach http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/),
      );
    });
  });

  describe('checking the connection', () => {
    it('names the number and its verified name', async () => {
      expect(await whatsappAdapter.check(connection(), context())).toEqual({
        ok: true,
        detail: 'Number +1 555-078-3881 (Convoflow Test)',
      });
      expect(cloud.calls[0]!.url).toBe(`/v21.0/${phoneNumberId}?fields=display_phone_number,verified_name`);
    });

    it('says the token is refused, without showing it', async () => {
      const result = await whatsappAdapter.check(connection({}, { accessToken: 'EAAGwrong-token-12' }), context());
      expect(result).toEqual({ ok: false, problem: expect.stringMatching(/Meta refused the access token/) });
      expect(JSON.stringify(result)).not.toContain('EAAGwrong-token-12');
    });

    it('says the phone number id is not found for this token', async () => {
      const result = await whatsappAdapter.check(connection({ phoneNumberId: '999000111' }), context());
      expect(result).toEqual({
        ok: false,
        problem: expect.stringMatching(/phone number id 999000111 was not found for this token/),
      });
    });

    it('says Meta could not be reached', async () => {
      const gone = await closedPort();
      const result = await whatsappAdapter.check(connection({ graphBaseUrl: gone }), context());
      expect(result).toEqual({ ok: false, problem: expect.stringContaining(`could not reach ${gone}`) });
    });
  });
});

/** Points the stand-in's webhooks at a server handing each call to the adapter; returns the events read. */
async function receiveOverHttp(): Promise<ChannelEvent[]> {
  const seen: ChannelEvent[] = [];
  const receiver = await startLocalServer(({ method, url, headers, rawBody }) => {
    const query = Object.fromEntries(new URL(url, 'http://x').searchParams);
    const flat = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, String(value)]));
    const inbound = { ...call({ rawBody, headers: flat }), method: method as 'GET' | 'POST', query };
    const result = whatsappAdapter.receive(inbound, connection());
    if (result.kind === 'answer') return { status: result.status, body: result.body };
    seen.push(...result.events);
    return { status: 200, body: {} };
  });
  onTestFinished(() => receiver.close());
  cloud.subscribe(`${receiver.url}/api/channels/whatsapp/wa-main/webhook`);
  return seen;
}

/** A loopback URL nothing listens on. */
async function closedPort(): Promise<string> {
  const server = await startLocalServer(() => ({ status: 200 }));
  await server.close();
  return server.url;
}
