import type { RunDetail, WorkflowInput } from '@convoflow/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ChatwootStandIn, startChatwoot } from '../stand-ins/chatwoot.ts';
import { type CrmStandIn, startCrm } from '../stand-ins/crm.ts';
import { connectChatwoot, publishCsatToCrm } from '../support/channels.ts';
import { type Product, randomSecret, startProduct } from '../support/product.ts';
import { waitFor } from '../support/wait-for.ts';

/**
 * A Chatwoot helpdesk plugged straight in: the CSAT workflow asked in the Chatwoot conversation
 * as native options, answered by a tap, posted to the CRM — through the real product, with
 * Chatwoot and the CRM stood in for on 127.0.0.1 speaking their own wire formats both ways.
 */
describe('Chatwoot, plugged straight in', () => {
  let product: Product;
  let chatwoot: ChatwootStandIn;
  let crm: CrmStandIn;
  let webhookUrl: string;
  let macroUrl: string;

  const runsOf = async (workflowId: string) =>
    ((await product.api('GET', `/api/runs?workflowId=${workflowId}`)).body as RunDetail[]).map((run) => run.id);
  const run = async (runId: string) => (await product.api('GET', `/api/runs/${runId}`)).body as RunDetail;

  beforeEach(async () => {
    const webhookSecret = randomSecret();
    [chatwoot, crm, product] = await Promise.all([startChatwoot({ webhookSecret }), startCrm(), startProduct()]);
    const connection = await connectChatwoot(product, chatwoot, { id: 'helpdesk', webhookSecret });
    expect(JSON.stringify(connection)).not.toContain(chatwoot.apiAccessToken);
    expect(JSON.stringify(connection)).not.toContain(webhookSecret);
    const [webhook, macro] = connection.endpoints;
    webhookUrl = `${product.url}${webhook?.url}`;
    macroUrl = `${product.url}${macro?.url.replace(':workflowId', 'nudge')}`;
    await publishCsatToCrm(product, crm.url);
  });

  afterEach(async () => {
    await product?.close();
    await Promise.all([chatwoot?.close(), crm?.close()]);
  });

  it('asks the rating as native options in the resolved conversation, reads the tapped title back and posts it to the CRM', async () => {
    const resolved = await chatwoot.resolve(10);
    expect(resolved.status).toBe(200);
    const question = await chatwoot.nextMessage(10);
    expect(question).toMatchObject({
      content: 'How satisfied are you with this experience?',
      contentType: 'input_select',
      private: false,
    });
    const items = question.contentAttributes.items as Array<{ title: string; value: string }>;
    expect(items.map((item) => item.title)).toEqual(['⭐', '⭐⭐', '⭐⭐⭐', '⭐⭐⭐⭐', '⭐⭐⭐⭐⭐']);
    const [runId = ''] = await runsOf('csat-crm-http');
    expect(items[0]?.value).toMatch(new RegExp(`^cf1:${runId}:`));

    // The question reaches Chatwoot before the run records its pause.
    await waitFor(async () => (await run(runId)).status === 'waiting', { what: 'the run waits for the answer' });
    // Chatwoot echoes our own question, an agent writes a private note: neither is the answer.
    await chatwoot.echoOutgoing(question.id);
    await chatwoot.privateNote(10, '5');
    expect((await run(runId)).status).toBe('waiting');

    // On a WhatsApp inbox the tap comes back as the option's title alone.
    expect((await chatwoot.incomingMessage(10, '⭐⭐⭐⭐')).status).toBe(200);
    const posted = await crm.nextRequest();
    expect(posted.body).toMatchObject({ rating: 4, conversationId: 'chatwoot:helpdesk:10', contactName: 'Jane Doe' });
    const done = await waitFor(async () => {
      const current = await run(runId);
      return current.status === 'completed' && current;
    });
    expect(done.variables).toMatchObject({ rating: 4 });
    const thanks = await chatwoot.nextMessage(10);
    expect(thanks).toMatchObject({ content: 'Thank you for your feedback!', contentType: 'text' });
  });

  it('takes an answer delivered three times once, and finds the run when Chatwoot files the reply under a new conversation', async () => {
    await chatwoot.resolve(10);
    await chatwoot.nextMessage(10);
    const [runId = ''] = await runsOf('csat-crm-http');
    // A WhatsApp inbox without "lock to single conversation" opens a new conversation for the reply.
    const reopened = chatwoot.addConversation({ inboxId: 2, contactId: 12 });
    const answer = await chatwoot.incomingMessage(reopened.id, '5');
    await Promise.all([chatwoot.redeliver(answer), chatwoot.redeliver(answer)]);
    expect((await crm.nextRequest()).body).toMatchObject({ rating: 5, conversationId: 'chatwoot:helpdesk:10' });
    await waitFor(async () => (await run(runId)).status === 'completed');
    expect(crm.received).toHaveLength(1);
  });

  it('asks an e-mail inbox in numbered text, and understands a typed number', async () => {
    await chatwoot.resolve(12);
    const question = await chatwoot.nextMessage(12);
    expect(question.contentType).toBe('text');
    expect(question.content).toContain('How satisfied are you with this experience?');
    expect(question.content).toMatch(/4\D+⭐⭐⭐⭐\n/);
    await chatwoot.incomingMessage(12, '4');
    expect((await crm.nextRequest()).body).toMatchObject({ rating: 4 });
  });

  it('retries a question Chatwoot could not take, and sends it once', async () => {
    chatwoot.failNext(1, 503);
    await chatwoot.resolve(11);
    const question = await chatwoot.nextMessage(11, { timeoutMs: 15_000 });
    expect(question.contentType).toBe('input_select');
    const [runId = ''] = await runsOf('csat-crm-http');
    await waitFor(async () => (await run(runId)).status === 'waiting');
    expect(chatwoot.messages.filter((message) => message.conversationId === 11)).toHaveLength(1);
    const failed = (await run(runId)).steps.find((step) => step.outcome === 'failed');
    expect(failed?.error).toContain('503');
  });

  it('serves two Chatwoot accounts at once, each run asking through the account it came from', async () => {
    const webhookSecret = randomSecret();
    const other = await startChatwoot({ accountId: 9, webhookSecret });
    try {
      await connectChatwoot(product, other, { id: 'helpdesk-eu', webhookSecret });
      await Promise.all([chatwoot.resolve(11), other.resolve(11)]);
      const [here, there] = await Promise.all([chatwoot.nextMessage(11), other.nextMessage(11)]);
      expect(here.contentType).toBe('input_select');
      expect(there.contentType).toBe('input_select');
      await other.incomingMessage(11, '⭐⭐');
      expect((await crm.nextRequest()).body).toMatchObject({ rating: 2, conversationId: 'chatwoot:helpdesk-eu:11' });
      expect((await other.nextMessage(11)).content).toBe('Thank you for your feedback!');
      expect(chatwoot.messages).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  it('resolves the conversation again after the survey when asked to, and that resolve starts no second survey', async () => {
    // Every resolve may survey again, so only the guard against our own resolve keeps this to one run.
    const csat = (await product.api('GET', '/api/workflows/csat-crm-http')).body as WorkflowInput;
    await product.api('PUT', '/api/workflows/csat-crm-http', {
      ...csat,
      settings: { reenrollment: { mode: 'always' } },
    });
    expect((await product.api('POST', '/api/workflows/csat-crm-http/publish')).status).toBe(200);
    const webhookSecret = randomSecret();
    const own = await startChatwoot({ webhookSecret, webhooksForApiChanges: true });
    try {
      await connectChatwoot(product, own, { id: 'closing', webhookSecret, settings: { resolveAfterAnswer: true } });
      await own.resolve(11);
      await own.nextMessage(11);
      await own.incomingMessage(11, '5');
      await crm.nextRequest();
      await waitFor(() => own.conversation(11).status === 'resolved' && own.messages.length === 2);
      await waitFor(async () => {
        const deliveries = own.deliveries.filter((delivery) => delivery.event === 'conversation_status_changed');
        return deliveries.length === 2 && deliveries.every((delivery) => delivery.status === 200);
      });
      expect(await runsOf('csat-crm-http')).toHaveLength(1);
    } finally {
      await own.close();
    }
  });

  it('makes one run of a resolve delivered three times, answering each within a second', async () => {
    const first = await chatwoot.resolve(11);
    const started = Date.now();
    const again = await Promise.all([chatwoot.redeliver(first), chatwoot.redeliver(first)]);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect([first, ...again].map((delivery) => delivery.status)).toEqual([200, 200, 200]);
    await chatwoot.nextMessage(11);
    expect(await runsOf('csat-crm-http')).toHaveLength(1);
  });

  it('refuses a delivery whose signature is wrong, and nothing happens', async () => {
    const unsigned = await startChatwoot({
      accountId: chatwoot.accountId,
      webhookSecret: randomSecret(),
      webhookUrl: webhookUrl.replace(/\?token=.*$/, ''),
    });
    try {
      const refused = await unsigned.resolve(10);
      expect(refused.status).toBe(401);
      expect(refused.responseBody, refused.responseBody).toContain('X-Chatwoot-Signature does not match');
    } finally {
      await unsigned.close();
    }
    expect(await runsOf('csat-crm-http')).toEqual([]);
  });

  it('starts a shortcut run from a macro "Send webhook event" to the workflow’s URL', async () => {
    const nudge = {
      id: 'nudge',
      name: 'Nudge',
      nodes: [
        { id: 'start', type: 'trigger.shortcut', position: { x: 0, y: 0 }, data: { label: 'Send a nudge' } },
        { id: 'say', type: 'sendMessage', position: { x: 0, y: 100 }, data: { text: 'Hi $contact.name!' } },
      ],
      edges: [{ id: 'e', source: 'start', target: 'say' }],
    };
    await product.api('POST', '/api/workflows', nudge);
    const published = await product.api('POST', '/api/workflows/nudge/publish');
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    const delivery = await chatwoot.runMacro(11, macroUrl);
    expect(delivery.status).toBe(200);
    expect(await chatwoot.nextMessage(11)).toMatchObject({ content: 'Hi Jane Doe!' });
    const refused = await chatwoot.runMacro(11, macroUrl.replace(/token=[^&]+/, 'token=wrong'));
    expect(refused.status).toBe(401);
  });
});
