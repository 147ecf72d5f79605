import { ApiClient } from './api-client.ts';
import { spawnTs } from './children.ts';
import { freePort } from './ports.ts';
import type { Secrets } from './product.ts';

export interface Plumbing {
  api: ApiClient;
  pid: number;
  stop(): Promise<void>;
}

/** Starts `plumbing-server.ts`: the product's HTTP contract answered from memory (no queue, no Redis). */
export async function startPlumbing(options: {
  secrets: Secrets;
  channelWebhookUrl: string;
  crmUrl: string;
  question: string;
}): Promise<Plumbing> {
  const port = await freePort();
  const child = spawnTs('plumbing-server', 'bench/plumbing-server.ts', {
    PORT: String(port),
    WEBHOOK_SECRET: options.secrets.webhookSecret,
    CHANNEL_WEBHOOK_URL: options.channelWebhookUrl,
    CRM_URL: options.crmUrl,
    QUESTION: options.question,
  });
  await child.waitForOutput(/plumbing server ready/, 30_000);
  const api = new ApiClient(`http://127.0.0.1:${port}`, options.secrets);
  return {
    api,
    pid: child.pid,
    stop: async () => {
      await api.close();
      await child.stop();
    },
  };
}
