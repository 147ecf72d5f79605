import { afterEach, describe, expect, it } from 'vitest';
import { type ChatPlatform, closedEvent, startChatPlatform } from './stand-ins/chat-platform.ts';
import { type SpawnedProcess, spawnWorkerProcess } from './support/processes.ts';
import { type Product, randomSecret, startProduct } from './support/product.ts';
import { waitFor } from './support/wait-for.ts';

/** The scale-out shape: an API with no worker of its own, runs advanced by a separate worker process. */

const survey = {
  id: 'survey',
  name: 'Survey',
  nodes: [
    { id: 'start', type: 'trigger.conversationClosed', position: { x: 0, y: 0 }, data: {} },
    {
      id: 'ask',
      type: 'askQuestion',
      position: { x: 0, y: 150 },
      data: { question: 'Rate us from 1 to 5', answerType: 'rating', saveAs: 'rating' },
    },
    { id: 'thanks', type: 'sendMessage', position: { x: 0, y: 300 }, data: { text: 'You said $rating' } },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'ask' },
    { id: 'e2', source: 'ask', sourceHandle: 'answered', target: 'thanks' },
  ],
};

let product: Product | undefined;
let chat: ChatPlatform | undefined;
let worker: SpawnedProcess | undefined;
afterEach(async () => {
  await worker?.stop();
  await product?.close();
  await chat?.close();
});

describe('a separate worker process', () => {
  it('advances runs accepted by the API, and exits 0 on SIGTERM', async () => {
    const webhookSecret = randomSecret();
    chat = await startChatPlatform({ webhookSecret });
    product = await startProduct({ channelWebhookUrl: chat.webhookUrl, webhookSecret, worker: false });
    expect((await product.api('POST', '/api/workflows', survey)).status).toBe(201);
    expect((await product.api('POST', '/api/workflows/survey/publish')).status).toBe(200);

    worker = await spawnWorkerProcess(product.processEnv());
    const event = closedEvent();
    const conversationId = event.conversation.id;
    const accepted = await product.platform.sendConversationClosed(event);
    expect(accepted.status).toBe(202);
    expect((await chat.nextMessage(conversationId, { timeoutMs: 20_000 })).text).toBe('Rate us from 1 to 5');
    await product.platform.sendReply({ conversationId, contactId: event.contact.id, text: '3' });
    expect((await chat.nextMessage(conversationId, { timeoutMs: 20_000 })).text).toBe('You said 3');
    await waitFor(async () => {
      const runs = await product?.api('GET', `/api/runs?conversationId=${conversationId}`);
      expect(runs?.body).toMatchObject([{ status: 'completed' }]);
      return true;
    });

    worker.kill('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  });
});
