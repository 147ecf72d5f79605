import type { ChannelConnectionSummary, WorkflowInput } from '@convoflow/engine';
import type { ChatwootStandIn } from '../stand-ins/chatwoot.ts';
import { example } from './examples.ts';
import type { Product } from './product.ts';

/**
 * A Chatwoot stand-in made a channel connection of the product, its account webhook pointed at
 * the connection's URL, as an operator does in the two admin screens. `webhookSecret` is the one
 * the stand-in signs with.
 */
export async function connectChatwoot(
  product: Product,
  chatwoot: ChatwootStandIn,
  connection: { id: string; webhookSecret?: string; settings?: Record<string, unknown> },
): Promise<ChannelConnectionSummary> {
  const created = await product.api('POST', '/api/connections', {
    id: connection.id,
    type: 'channel',
    name: `Chatwoot ${connection.id}`,
    channel: 'chatwoot',
    settings: { baseUrl: chatwoot.url, accountId: chatwoot.accountId, ...connection.settings },
    secrets: {
      apiAccessToken: chatwoot.apiAccessToken,
      ...(connection.webhookSecret ? { webhookSecret: connection.webhookSecret } : {}),
    },
  });
  if (created.status !== 201) throw new Error(`connection refused: ${JSON.stringify(created.body)}`);
  const summary = created.body as ChannelConnectionSummary;
  chatwoot.setWebhookUrl(`${product.url}${summary.endpoints[0]?.url}`);
  return summary;
}

/**
 * The CSAT → CRM example (`examples/csat-crm-http.json`) published, its CRM step pointed at
 * `crmUrl` and the token it takes stored; `change` edits it first.
 */
export async function publishCsatToCrm(
  product: Product,
  crmUrl: string,
  change: (workflow: WorkflowInput & { id: string }) => void = () => {},
): Promise<WorkflowInput & { id: string }> {
  await product.api('POST', '/api/connections', {
    id: 'crm-token',
    type: 'secret',
    name: 'CRM',
    value: 'crm-token-123',
  });
  const csat = example('csat-crm-http');
  for (const node of csat.nodes) {
    if (node.type === 'http.request') node.data = { ...node.data, url: `${crmUrl}/api/csat` };
  }
  change(csat);
  await product.api('POST', '/api/workflows', csat);
  const published = await product.api('POST', `/api/workflows/${csat.id}/publish`);
  if (published.status !== 200) throw new Error(`publish refused: ${JSON.stringify(published.body)}`);
  return csat;
}
