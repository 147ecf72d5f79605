import type { ChannelConnectionSummary, RunDetail } from '@convoflow/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CrmStandIn, startCrm } from '../stand-ins/crm.ts';
import { startWhatsAppCloud, type WhatsAppCloudStandIn } from '../stand-ins/whatsapp-cloud.ts';
import { publishCsatToCrm } from '../support/channels.ts';
import { type Product, randomSecret, startProduct } from '../support/product.ts';
import { waitFor } from '../support/wait-for.ts';

/**
 * A WhatsApp Business number on Meta's Cloud API plugged straight in: an agent's shortcut asks
 * the contact the rating as an interactive list (or the approved template outside the 24-hour
 * window), the tap comes back and is posted to the CRM — through the real product, with the
 * Graph API and the CRM stood in for on 127.0.0.1.
 */
describe('WhatsApp Cloud API, plugged straight in', () => {
  const phoneNumberId = '106540352242922';
  const contact = '15550100';
  const verifyToken = 'verify-me-please';
  let product: Product;
  let meta: WhatsAppCloudStandIn;
  let crm: CrmStandIn;

  const run = async (runId: string) => (await product.api('GET', `/api/runs/${runId}`)).body as RunDetail;
  const completed = (runId: string) =>
    waitFor(async () => {
      const current = await run(runId);
      return current.status === 'completed' && current;
    });
  const survey = async (eventId: string) => {
    const started = await product.api('POST', '/api/workflows/wa-csat/shortcut', {
      eventId,
      connection: 'wa',
      conversationId: contact,
      contact: { id: contact, name: 'Ada' },
      triggeredBy: { id: 'agent-7', name: 'Grace' },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    return (started.body as { runId: string }).runId;
  };

  beforeEach(async () => {
    const accessToken = randomSecret();
    const appSecret = randomSecret();
    [meta, crm, product] = await Promise.all([
      startWhatsAppCloud({
        phoneNumberId,
        accessToken,
        appSecret,
        templates: [{ name: 'csat_rating', language: 'en_US', quickReplies: 5 }],
      }),
      startCrm(),
      startProduct(),
    ]);
    const created = await product.api('POST', '/api/connections', {
      id: 'wa',
      type: 'channel',
      name: 'Support number',
      channel: 'whatsapp',
      settings: { phoneNumberId, graphBaseUrl: meta.url, templateName: 'csat_rating' },
      secrets: { accessToken, appSecret, verifyToken },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const [webhook] = (created.body as ChannelConnectionSummary).endpoints;
    meta.subscribe(`${product.url}${webhook?.url}`);

    await publishCsatToCrm(product, crm.url, (csat) => {
      csat.id = 'wa-csat';
      for (const node of csat.nodes) {
        // An agent's shortcut starts a WhatsApp survey: its trigger sets no assignee or channel to post.
        if (node.type === 'http.request') {
          const body = '{"conversationId": "$conversation.id", "contactName": "$contact.name", "rating": $rating}';
          node.data = { ...node.data, body };
        }
        if (node.type === 'trigger.conversationClosed') {
          Object.assign(node, { type: 'trigger.shortcut', data: { label: 'Send CSAT survey' } });
        }
      }
    });
  });

  afterEach(async () => {
    await product?.close();
    await Promise.all([meta?.close(), crm?.close()]);
  });

  it('answers Meta’s handshake with the challenge only for the verify token', async () => {
    expect(await meta.verify(verifyToken, 'challenge-123')).toEqual({ status: 200, body: 'challenge-123' });
    expect((await meta.verify('not-the-token', 'challenge-123')).status).toBe(403);
  });

  it('asks inside the 24-hour window as an interactive list of stars, and takes the tapped row as the rating', async () => {
    await meta.text(contact, 'Hi, thanks for the help!');
    const runId = await survey('s1');
    const question = await meta.nextMessage(contact);
    expect(question).toMatchObject({ type: 'interactive', interactive: 'list', runId });
    expect(question.text).toBe('How satisfied are you with this experience?');
    expect(question.choices.map((choice) => choice.title)).toEqual(['⭐', '⭐⭐', '⭐⭐⭐', '⭐⭐⭐⭐', '⭐⭐⭐⭐⭐']);

    const fourStars = question.choices[3];
    const tapped = await meta.listReply(contact, fourStars?.id ?? '', fourStars?.title ?? '', {
      contextId: question.id,
    });
    expect(tapped.status).toBe(200);
    // Meta delivers at least once: the same wamid again is the same answer, not a second one.
    expect((await meta.redeliver()).status).toBe(200);
    expect((await crm.nextRequest()).body).toMatchObject({
      rating: 4,
      conversationId: `whatsapp:wa:${contact}`,
      contactName: 'Ada',
    });
    const done = await completed(runId);
    expect(done.variables).toMatchObject({ rating: 4 });
    expect(crm.received).toHaveLength(1);
  });

  it('sends the approved template outside the window and reads its quick-reply payload back', async () => {
    const runId = await survey('s2');
    const question = await meta.nextMessage(contact);
    expect(question).toMatchObject({ type: 'template', template: { name: 'csat_rating', language: 'en_US' }, runId });
    expect(question.choices).toHaveLength(5);
    await meta.templateButton(contact, question.choices[1]?.id ?? '', '⭐⭐', { contextId: question.id });
    expect((await crm.nextRequest()).body).toMatchObject({ rating: 2 });
    await completed(runId);
  });

  it('falls back to the template once when Meta refuses the message as outside the window (131047)', async () => {
    await meta.text(contact, 'Hello');
    meta.closeWindow(contact);
    const runId = await survey('s3');
    const question = await meta.nextMessage(contact);
    expect(question.type).toBe('template');
    const refused = meta.calls.filter((call) => call.status === 400);
    expect(refused).toHaveLength(1);
    await meta.templateButton(contact, question.choices[4]?.id ?? '', '⭐⭐⭐⭐⭐');
    expect((await crm.nextRequest()).body).toMatchObject({ rating: 5 });
    await completed(runId);
  });

  it('sends the template once when Meta later reports the message refused as outside the window, and fails the survey if that is refused too', async () => {
    await meta.text(contact, 'Hello');
    const runId = await survey('s5');
    const list = await meta.nextMessage(contact);
    expect(list.type).toBe('interactive');
    expect((await meta.failedStatus(list.id, { code: 131047 })).status).toBe(200);
    const template = await meta.nextMessage(contact);
    expect(template).toMatchObject({ type: 'template', runId });
    await meta.failedStatus(template.id, { code: 131047 });
    await meta.failedStatus(list.id, { code: 131047 });
    expect(meta.messages.filter((message) => message.to === contact)).toHaveLength(2);
    const failed = await waitFor(async () => {
      const current = await run(runId);
      return current.status === 'failed' && current;
    });
    expect(failed.error).toMatch(
      /^WhatsApp Cloud API could not deliver the message "How satisfied.*": Re-engagement message/,
    );
  });

  it('takes the tap on a template sent again after a later refusal', async () => {
    await meta.text(contact, 'Hello');
    const runId = await survey('s6');
    const list = await meta.nextMessage(contact);
    await meta.failedStatus(list.id, { code: 131047 });
    const template = await meta.nextMessage(contact);
    await meta.templateButton(contact, template.choices[2]?.id ?? '', '⭐⭐⭐');
    expect((await crm.nextRequest()).body).toMatchObject({ rating: 3 });
    await completed(runId);
  });

  it('refuses a webhook that Meta did not sign, and nothing is answered', async () => {
    await meta.text(contact, 'Hi');
    const runId = await survey('s4');
    const question = await meta.nextMessage(contact);
    // The question reaches Meta before the run records its pause: forge the answer to a waiting run.
    await waitFor(async () => (await run(runId)).status === 'waiting', { what: 'the run waits for the answer' });
    const forged = await fetch(
      `${product.url}${((await product.api('GET', '/api/connections/wa')).body as ChannelConnectionSummary).endpoints[0]?.url}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` },
        body: JSON.stringify(meta.webhooks.listReply(contact, question.choices[0]?.id ?? '', '⭐').payload),
      },
    );
    expect(forged.status).toBe(401);
    const after = await run(runId);
    expect(after.status).toBe('waiting');
    expect(after.transcript.filter((message) => message.from === 'contact')).toEqual([]);
  });
});
