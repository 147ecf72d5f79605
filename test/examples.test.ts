import { readdir } from 'node:fs/promises';
import type { WorkflowRecord } from '@convoflow/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { examplesDir } from '../workers/src/examples.ts';
import { type ChatPlatform, closedEvent, startChatPlatform } from './stand-ins/chat-platform.ts';
import { type CrmStandIn, startCrm } from './stand-ins/crm.ts';
import { type Product, randomSecret, startProduct } from './support/product.ts';
import { waitFor } from './support/wait-for.ts';

/** The shipped examples, loaded as `npm start` loads them, then run against the stand-ins. */

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((thing) => thing.close()));
});

async function open<T extends { close(): Promise<void> }>(thing: Promise<T>): Promise<T> {
  const value = await thing;
  opened.push(value);
  return value;
}

/** The token `examples/csat-crm-http.json` takes as `{{secret:crm-token}}`. */
const crmToken = 'crm_example_4f1c9b2d7a';

/** Stores the secret the CRM example references, as an operator does before publishing it. */
async function addCrmToken(product: Product): Promise<void> {
  const created = await product.api('POST', '/api/connections', {
    id: 'crm-token',
    type: 'secret',
    name: 'CRM token',
    value: crmToken,
  });
  expect(created.status).toBe(201);
}

/** Points every example URL at the CRM stand-in, then publishes the example. */
async function publishAgainst(product: Product, id: string, crm: CrmStandIn): Promise<void> {
  const got = await product.api('GET', `/api/workflows/${id}`);
  expect(got.status).toBe(200);
  const record = got.body as WorkflowRecord;
  const nodes = record.nodes.map((node) =>
    typeof node.data.url === 'string'
      ? { ...node, data: { ...node.data, url: node.data.url.replace(/^https:\/\/[^/]+/, crm.url) } }
      : node,
  );
  const saved = await product.api('PUT', `/api/workflows/${id}`, {
    id,
    name: record.name,
    nodes,
    edges: record.edges,
    settings: record.settings,
  });
  expect(saved.status).toBe(200);
  const published = await product.api('POST', `/api/workflows/${id}/publish`);
  expect(published.status).toBe(200);
}

async function stack(): Promise<{ product: Product; chat: ChatPlatform; crm: CrmStandIn }> {
  const webhookSecret = randomSecret();
  const crm = await open(startCrm());
  const chat = await open(startChatPlatform({ webhookSecret }));
  const product = await open(startProduct({ channelWebhookUrl: chat.webhookUrl, webhookSecret, examples: true }));
  return { product, chat, crm };
}

describe('examples/', () => {
  it('each example imports on first start, validates and publishes through the API', async () => {
    const product = await open(startProduct({ examples: true, worker: false }));
    const files = (await readdir(examplesDir)).filter((file) => file.endsWith('.json'));
    const ids = files.map((file) => file.replace(/\.json$/, '')).sort();
    expect(product.examples?.imported.slice().sort()).toEqual(ids);
    expect(ids).toEqual(
      expect.arrayContaining(['csat-google-sheets', 'csat-crm-http', 'low-score-alert', 'csat-sheets-and-crm']),
    );
    const unset = await product.api('POST', '/api/workflows/csat-crm-http/publish');
    expect(unset.status).toBe(422);
    expect(unset.body).toMatchObject({
      details: {
        problems: [{ field: 'headers.1.value', message: expect.stringContaining('There is no secret "crm-token"') }],
      },
    });
    await addCrmToken(product);
    for (const id of ids) {
      const validation = await product.api('POST', `/api/workflows/${id}/validate`);
      expect({ id, ...(validation.body as object) }).toEqual({ id, valid: true, problems: [] });
      const published = await product.api('POST', `/api/workflows/${id}/publish`);
      expect(published.status, `${id}: ${JSON.stringify(published.body)}`).toBe(200);
      expect((published.body as WorkflowRecord).publishedVersion).toBe(1);
    }
  });

  it('CSAT → CRM: the rating reaches the CRM as a number, with an idempotency key', async () => {
    const { product, chat, crm } = await stack();
    await addCrmToken(product);
    await publishAgainst(product, 'csat-crm-http', crm);
    const event = closedEvent();
    const conversationId = event.conversation.id;

    const accepted = await product.platform.sendConversationClosed(event);
    expect(accepted).toMatchObject({ status: 202, body: { runs: [expect.any(String)] } });
    const question = await chat.nextMessage(conversationId);
    expect(question).toMatchObject({
      contactId: event.contact.id,
      text: 'How satisfied are you with this experience?',
    });

    const reply = await product.platform.sendReply({ conversationId, contactId: event.contact.id, text: ' 4 ' });
    expect(reply.status).toBe(202);
    const request = await crm.nextRequest();
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/api/csat');
    expect(request.body).toEqual({
      conversationId,
      contactId: event.contact.id,
      contactName: 'Ada Lovelace',
      agent: 'Grace Hopper',
      channel: 'whatsapp',
      rating: 4,
    });
    expect(request.idempotencyKey).toEqual(expect.any(String));
    expect(request.headers.authorization).toBe(`Bearer ${crmToken}`);
    expect((await chat.nextMessage(conversationId)).text).toBe('Thank you for your feedback!');
    expect(chat.rejections).toEqual([]);
  });

  it('low score alert: 2 stars alert the team and apologise, 5 stars get a thank-you only', async () => {
    const { product, chat, crm } = await stack();
    await publishAgainst(product, 'low-score-alert', crm);

    const unhappy = closedEvent();
    await product.platform.sendConversationClosed(unhappy);
    await chat.nextMessage(unhappy.conversation.id);
    await product.platform.sendReply({
      conversationId: unhappy.conversation.id,
      contactId: unhappy.contact.id,
      text: '2',
    });
    expect((await chat.nextMessage(unhappy.conversation.id)).text).toBe(
      'We are sorry to hear that, Ada Lovelace. A team lead will get back to you shortly.',
    );
    const alert = await crm.nextRequest();
    expect(alert.path).toBe('/services/csat-alerts');
    expect(alert.body).toEqual({
      text: `Low CSAT: Ada Lovelace rated 2/5 (conversation ${unhappy.conversation.id}, agent Grace Hopper)`,
    });

    const happy = closedEvent();
    await product.platform.sendConversationClosed(happy);
    await chat.nextMessage(happy.conversation.id);
    await product.platform.sendReply({ conversationId: happy.conversation.id, contactId: happy.contact.id, text: '5' });
    expect((await chat.nextMessage(happy.conversation.id)).text).toBe('Thank you for your feedback, Ada Lovelace!');
    // The message is out before the run records its end.
    await waitFor(async () => {
      const runs = await product.api('GET', `/api/runs?conversationId=${happy.conversation.id}`);
      expect(runs.body).toMatchObject([{ status: 'completed' }]);
      return true;
    });
    expect(crm.received).toHaveLength(1);
  });
});
