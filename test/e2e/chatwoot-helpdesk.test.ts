import type { RunDetail, WorkflowInput } from '@convoflow/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ChatwootStandIn, startChatwoot } from '../stand-ins/chatwoot.ts';
import { connectChatwoot } from '../support/channels.ts';
import { example } from '../support/examples.ts';
import { type Product, randomSecret, startProduct } from '../support/product.ts';
import { waitFor } from '../support/wait-for.ts';

/**
 * Acting on a low CSAT score in the helpdesk: a private note, a label, an assignment and a
 * resolve in the Chatwoot conversation the survey was asked in — through the real product, with
 * Chatwoot stood in for on 127.0.0.1, firing the webhooks it fires for the API's own changes.
 */

const position = (y: number) => ({ x: 0, y });

/** Every answer re-enrols (`always`): only the engine's memory of its own resolve keeps a second run out. */
function followUp(id: string, channels: string[]): WorkflowInput & { id: string } {
  return {
    id,
    name: 'Follow up a low CSAT in Chatwoot',
    nodes: [
      { id: 'start', type: 'trigger.conversationClosed', position: position(0), data: { channels } },
      {
        id: 'ask',
        type: 'askQuestion',
        position: position(150),
        data: {
          question: 'How satisfied are you with this experience?',
          answerType: 'rating',
          min: 1,
          max: 5,
          metric: 'csat',
          saveAs: 'rating',
        },
      },
      {
        id: 'score',
        type: 'branch',
        position: position(300),
        data: { branches: [{ id: 'low', when: [{ variable: '$rating', operator: 'lte', value: 2 }] }] },
      },
      {
        id: 'note',
        type: 'helpdesk.note',
        position: position(450),
        data: { text: 'CSAT $rating/5 from $contact.name' },
      },
      { id: 'tag', type: 'helpdesk.labels', position: position(600), data: { labels: ['low-csat'] } },
      { id: 'assign', type: 'helpdesk.assign', position: position(750), data: { teamId: '4' } },
      { id: 'resolve', type: 'helpdesk.resolve', position: position(900), data: {} },
    ],
    edges: [
      { id: 'start-ask', source: 'start', target: 'ask' },
      { id: 'ask-score', source: 'ask', sourceHandle: 'answered', target: 'score' },
      { id: 'score-note', source: 'score', sourceHandle: 'low', target: 'note' },
      { id: 'note-tag', source: 'note', sourceHandle: 'success', target: 'tag' },
      { id: 'tag-assign', source: 'tag', sourceHandle: 'success', target: 'assign' },
      { id: 'assign-resolve', source: 'assign', sourceHandle: 'success', target: 'resolve' },
    ],
    settings: { reenrollment: { mode: 'always' } },
  };
}

describe('Chatwoot helpdesk steps after a CSAT survey', () => {
  let product: Product;
  let chatwoot: ChatwootStandIn;

  const runsOf = async (workflowId: string) =>
    (await product.api('GET', `/api/runs?workflowId=${workflowId}`)).body as RunDetail[];

  beforeEach(async () => {
    const webhookSecret = randomSecret();
    [chatwoot, product] = await Promise.all([
      startChatwoot({
        webhookSecret,
        webhooksForApiChanges: true,
        conversations: [{ id: 10, inboxId: 2, contactId: 12, labels: ['billing'] }],
      }),
      startProduct(),
    ]);
    await connectChatwoot(product, chatwoot, { id: 'helpdesk', webhookSecret });
  });

  afterEach(async () => {
    await product?.close();
    await chatwoot?.close();
  });

  it('notes, labels, assigns and resolves a 2-star answer, and our own resolve starts no second survey', async () => {
    await product.api('POST', '/api/workflows', followUp('low-csat', ['helpdesk']));
    const published = await product.api('POST', '/api/workflows/low-csat/publish');
    expect(published.status, JSON.stringify(published.body)).toBe(200);

    expect((await chatwoot.resolve(10)).status).toBe(200);
    expect(await chatwoot.nextMessage(10)).toMatchObject({ contentType: 'input_select', private: false });
    expect((await chatwoot.incomingMessage(10, '⭐⭐')).status).toBe(200);

    expect(await chatwoot.nextMessage(10)).toMatchObject({ content: 'CSAT 2/5 from Jane Doe', private: true });
    const [summary] = await runsOf('low-csat');
    const run = await waitFor(async () => {
      const detail = (await product.api('GET', `/api/runs/${summary?.id}`)).body as RunDetail;
      return detail.status === 'completed' && detail;
    });
    expect(run.variables).toMatchObject({ rating: 2 });
    expect(chatwoot.conversation(10)).toMatchObject({
      labels: ['billing', 'low-csat'],
      team: { id: 4 },
      status: 'resolved',
    });
    expect(chatwoot.calls.filter((call) => call.method === 'POST').map((call) => [call.path, call.body])).toEqual([
      [
        expect.stringMatching(/\/conversations\/10\/messages$/),
        expect.objectContaining({ content_type: 'input_select' }),
      ],
      [expect.stringMatching(/\/conversations\/10\/messages$/), { content: 'CSAT 2/5 from Jane Doe', private: true }],
      [expect.stringMatching(/\/conversations\/10\/labels$/), { labels: ['billing', 'low-csat'] }],
      [expect.stringMatching(/\/conversations\/10\/assignments$/), { team_id: 4 }],
      [expect.stringMatching(/\/conversations\/10\/toggle_status$/), { status: 'resolved' }],
    ]);

    // Chatwoot reports our resolve as it reports an agent's; the engine knows it for its own.
    const echoed = await waitFor(() =>
      chatwoot.deliveries.find((delivery, index) => index > 0 && delivery.event === 'conversation_status_changed'),
    );
    expect(JSON.parse(echoed.responseBody)).toEqual({ received: [{ type: 'resolved-by-us', runs: [] }] });
    expect(await runsOf('low-csat')).toHaveLength(1);
  });

  it('runs the shipped example: thanks on the answer, then a note and a label on a 1-star score', async () => {
    const shipped = example('chatwoot-csat');
    await product.api('POST', '/api/workflows', shipped);
    expect((await product.api('POST', `/api/workflows/${shipped.id}/publish`)).status).toBe(200);

    await chatwoot.resolve(10);
    await chatwoot.nextMessage(10);
    await chatwoot.incomingMessage(10, '⭐');
    expect(await chatwoot.nextMessage(10)).toMatchObject({
      content: 'Thank you for your feedback, Jane Doe!',
      private: false,
    });
    expect(await chatwoot.nextMessage(10)).toMatchObject({
      content: 'CSAT 1/5 from Jane Doe — please follow up',
      private: true,
    });
    await waitFor(() => chatwoot.conversation(10).labels.includes('low-csat'));
    expect(chatwoot.conversation(10).labels).toEqual(['billing', 'low-csat']);
  });

  it('refuses to publish an Add labels step for a trigger that takes a WhatsApp connection, naming both', async () => {
    const whatsapp = await product.api('POST', '/api/connections', {
      id: 'wa',
      type: 'channel',
      name: 'Support WhatsApp',
      channel: 'whatsapp',
      settings: { phoneNumberId: '106540352242922' },
      secrets: { accessToken: 'EAAG-test-token', appSecret: randomSecret(), verifyToken: 'convoflow-verify' },
    });
    expect(whatsapp.status).toBe(201);
    await product.api('POST', '/api/workflows', followUp('everywhere', ['helpdesk', 'wa']));

    const refused = await product.api('POST', '/api/workflows/everywhere/publish');
    expect(refused.status).toBe(422);
    const { problems } = (refused.body as { details: { problems: Array<{ nodeId?: string; message: string }> } })
      .details;
    expect(problems).toContainEqual({
      nodeId: 'tag',
      message:
        'Add labels: the WhatsApp Cloud API connection "wa" cannot add labels; remove the step or limit the trigger to a Chatwoot connection.',
    });
    expect(problems.map((problem) => problem.nodeId)).toEqual(['note', 'tag', 'assign', 'resolve']);
    expect((await product.api('GET', '/api/workflows/everywhere')).body).toMatchObject({ publishedVersion: null });
  });
});
