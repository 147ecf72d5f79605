import type { RunDetail, WorkflowInput } from '@convoflow/engine';
import { type ChatPlatform, startChatPlatform } from '../stand-ins/chat-platform.ts';
import { type CrmStandIn, startCrm } from '../stand-ins/crm.ts';
import {
  createServiceAccountKey,
  type GoogleSheetsStandIn,
  startGoogleSheetsStandIn,
} from '../stand-ins/google-sheets.ts';
import { example } from '../support/examples.ts';
import { type Product, randomSecret, startProduct } from '../support/product.ts';
import { waitFor } from '../support/wait-for.ts';

/**
 * The product in this process with every outside party stood in for over real HTTP: the chat
 * platform (outbound webhook + signed calls), Google Sheets (API v4 + JWT auth) and a CRM.
 */
export interface Scenario {
  product: Product;
  chat: ChatPlatform;
  sheets: GoogleSheetsStandIn;
  crm: CrmStandIn;
  /** Saves and publishes a workflow, failing the test with the API's answer when refused. */
  publish(workflow: WorkflowInput): Promise<void>;
  run(runId: string): Promise<RunDetail>;
  /** Polls until the run has ended (completed, failed or cancelled). */
  ended(runId: string): Promise<RunDetail>;
  close(): Promise<void>;
}

export async function startScenario(
  options: {
    productEnv?: Record<string, string>;
    worker?: boolean;
    /** Import `examples/*.json` as `npm start` does (for the browser tests). */
    examples?: boolean;
    /** Serve this built editor at `/` (for the browser tests). */
    editorDir?: string;
  } = {},
): Promise<Scenario> {
  const webhookSecret = randomSecret();
  const serviceAccountKey = createServiceAccountKey();
  const [chat, sheets, crm] = await Promise.all([
    startChatPlatform({ webhookSecret }),
    startGoogleSheetsStandIn({ serviceAccounts: [serviceAccountKey] }),
    startCrm(),
  ]);
  const product = await startProduct({
    webhookSecret,
    channelWebhookUrl: chat.webhookUrl,
    worker: options.worker ?? true,
    ...(options.productEnv ? { env: options.productEnv } : {}),
    ...(options.examples ? { examples: true } : {}),
    ...(options.editorDir ? { editorDir: options.editorDir } : {}),
  });
  const connection = await product.api('POST', '/api/connections', {
    id: 'google',
    type: 'google',
    name: 'Support team Google account',
    serviceAccountKey,
    apiEndpoint: sheets.url,
  });
  if (connection.status !== 201) throw new Error(`connection refused: ${JSON.stringify(connection.body)}`);

  const run = async (runId: string) => {
    const response = await product.api('GET', `/api/runs/${runId}`);
    if (response.status !== 200) throw new Error(`GET run ${runId}: ${response.status}`);
    return response.body as RunDetail;
  };
  return {
    product,
    chat,
    sheets,
    crm,
    publish: async (workflow) => {
      const saved = await product.api('POST', '/api/workflows', workflow);
      if (saved.status !== 201) throw new Error(`save refused: ${JSON.stringify(saved.body)}`);
      const { id } = saved.body as { id: string };
      const published = await product.api('POST', `/api/workflows/${id}/publish`);
      if (published.status !== 200) throw new Error(`publish refused: ${JSON.stringify(published.body)}`);
    },
    run,
    ended: (runId) =>
      waitFor(
        async () => {
          const detail = await run(runId);
          return ['completed', 'failed', 'cancelled'].includes(detail.status) ? detail : null;
        },
        { timeoutMs: 20_000, what: `run ${runId} to end` },
      ),
    close: async () => {
      await product.close();
      await Promise.all([chat.close(), sheets.close(), crm.close()]);
    },
  };
}

/** The CSAT → Sheets + CRM example of DESIGN.md, its CRM URL pointed at the stand-in. */
export function csatToSheetsAndCrm(crmUrl: string, change: (workflow: WorkflowInput) => void = () => {}) {
  const workflow = example('csat-sheets-and-crm');
  for (const node of workflow.nodes) {
    if (node.type === 'http.request') node.data = { ...node.data, url: `${crmUrl}/api/csat` };
  }
  change(workflow);
  return workflow;
}

export function nodeData(workflow: WorkflowInput, nodeId: string): Record<string, unknown> {
  const node = workflow.nodes.find((candidate) => candidate.id === nodeId);
  if (!node) throw new Error(`no node ${nodeId}`);
  node.data ??= {};
  return node.data;
}
