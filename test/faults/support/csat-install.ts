import { type ChatPlatform, startChatPlatform } from '../../stand-ins/chat-platform.ts';
import { type Product, type ProductOptions, randomSecret, startProduct } from '../../support/product.ts';
import type { Cleanup } from './cleanup.ts';
import { type CsatOptions, csatToCrm } from './csat-workflow.ts';

/**
 * The product with a chat-platform stand-in on its outbound webhook and the CSAT → CRM
 * workflow, posting to `crmUrl`, published as `csat`; both are closed by `cleanup`.
 */
export async function startCsatInstall(
  cleanup: Cleanup,
  options: CsatOptions & { product?: Omit<ProductOptions, 'webhookSecret' | 'channelWebhookUrl'> },
): Promise<{ chat: ChatPlatform; product: Product }> {
  const { product: productOptions, ...workflow } = options;
  const webhookSecret = randomSecret();
  const chat = cleanup.add('chat stand-in', await startChatPlatform({ webhookSecret }), (c) => c.close());
  const product = cleanup.add(
    'product',
    await startProduct({ ...productOptions, channelWebhookUrl: chat.webhookUrl, webhookSecret }),
    (p) => p.close(),
  );
  await expectStatus(product.api('POST', '/api/workflows', csatToCrm('csat', workflow)), 201);
  await expectStatus(product.api('POST', '/api/workflows/csat/publish'), 200);
  return { chat, product };
}

async function expectStatus(call: ReturnType<Product['api']>, status: number): Promise<void> {
  const response = await call;
  if (response.status !== status) {
    throw new Error(`expected ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
  }
}
