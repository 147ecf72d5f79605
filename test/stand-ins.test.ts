import { afterEach, describe, expect, it } from 'vitest';
import {
  type ChatPlatform,
  platformClient,
  signBody,
  signedHeaders,
  startChatPlatform,
} from './stand-ins/chat-platform.ts';
import { type CrmStandIn, startCrm } from './stand-ins/crm.ts';

/** The stand-ins are only worth their assertions if they refuse what the real services refuse. */

const secret = 'a-shared-secret-of-some-length';
const message = { runId: 'run-1', conversationId: 'conv-1', contactId: 'contact-1', text: 'Hello' };

let chat: ChatPlatform | undefined;
let crm: CrmStandIn | undefined;
afterEach(async () => {
  await chat?.close();
  await crm?.close();
  chat = undefined;
  crm = undefined;
});

async function deliver(rawBody: string, signing: Record<string, string>) {
  if (!chat) throw new Error('no chat stand-in');
  const response = await fetch(chat.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signing },
    body: rawBody,
  });
  return response.status;
}

describe('chat platform stand-in', () => {
  it('accepts a correctly signed message and hands it to the test waiting for it', async () => {
    chat = await startChatPlatform({ webhookSecret: secret });
    const next = chat.nextMessage('conv-1');
    const body = JSON.stringify(message);
    expect(await deliver(body, signedHeaders(body, secret))).toBe(200);
    expect(await next).toEqual(message);
    expect(chat.messagesFor('conv-1')).toEqual([message]);
  });

  it('refuses a missing or wrong signature with 401 and records why', async () => {
    chat = await startChatPlatform({ webhookSecret: secret });
    const body = JSON.stringify(message);
    expect(await deliver(body, {})).toBe(401);
    expect(await deliver(body, signedHeaders(body, 'another-secret-entirely'))).toBe(401);
    expect(await deliver(`${body} `, signedHeaders(body, secret))).toBe(401);
    expect(await deliver(body, { 'x-signature-256': signBody(body, secret) })).toBe(401);
    expect(await deliver(body, signedHeaders(body, secret, Date.now() - 600_000))).toBe(401);
    expect(chat.rejections.map((rejection) => rejection.reason)).toEqual([
      'missing signature',
      'wrong signature',
      'wrong signature',
      'missing timestamp',
      'stale timestamp',
    ]);
    expect(chat.messages).toEqual([]);
  });

  it('fails the next N deliveries on demand, then accepts', async () => {
    chat = await startChatPlatform({ webhookSecret: secret });
    chat.failNext(2, 503);
    const body = JSON.stringify(message);
    const statuses = [];
    for (let attempt = 0; attempt < 3; attempt += 1) statuses.push(await deliver(body, signedHeaders(body, secret)));
    expect(statuses).toEqual([503, 503, 200]);
    expect(chat.attempts).toBe(3);
    expect(chat.messages).toHaveLength(1);
  });

  it('gives up waiting at the deadline', async () => {
    chat = await startChatPlatform({ webhookSecret: secret });
    await expect(chat.nextMessage('conv-silent', { timeoutMs: 50 })).rejects.toThrow(
      'No message to conversation conv-silent arrived within 50 ms',
    );
  });

  it('signs platform calls over the exact bytes it sends', async () => {
    chat = await startChatPlatform({ webhookSecret: secret });
    // The stand-in's own webhook verifies signatures, so it can check the client's.
    const client = platformClient({ baseUrl: chat.url, webhookSecret: secret });
    expect((await client.send('/webhook', JSON.stringify(message))).status).toBe(200);
    expect((await client.send('/webhook', JSON.stringify(message), { signature: 'sha256=00' })).status).toBe(401);
  });
});

describe('CRM stand-in', () => {
  it('records JSON bodies with their idempotency keys, failing with 500 or 429 on demand', async () => {
    crm = await startCrm();
    crm.failNext(1, 500);
    const post = (key: string) =>
      fetch(`${crm?.url}/api/csat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ rating: 4 }),
      });
    expect((await post('k1')).status).toBe(500);
    crm.failNext(1, 429, { retryAfterSeconds: 2 });
    const limited = await post('k1');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect((await post('k1')).status).toBe(201);
    const request = await crm.nextRequest();
    expect(request).toMatchObject({ method: 'POST', path: '/api/csat', idempotencyKey: 'k1', body: { rating: 4 } });
    expect(crm.attempts).toHaveLength(3);
    expect(crm.received).toHaveLength(1);
  });
});
