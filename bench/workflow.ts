import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ApiClient } from './api-client.ts';
import { repoRoot } from './children.ts';

export const BENCH_WORKFLOW_ID = 'bench-csat-crm';

export interface BenchWorkflow {
  document: Record<string, unknown>;
  /** The text of the Ask Question step: the chat stand-in answers exactly this message. */
  question: string;
}

/**
 * `examples/csat-crm-http.json` unchanged but for its id and the CRM URL, pointed at the CRM
 * stand-in: trigger → askQuestion (rating, saved as $rating) → http.request POST → sendMessage.
 */
export async function benchWorkflow(crmUrl: string): Promise<BenchWorkflow> {
  const example: unknown = JSON.parse(await readFile(path.join(repoRoot, 'examples/csat-crm-http.json'), 'utf8'));
  if (!isObject(example) || !Array.isArray(example.nodes)) throw new Error('examples/csat-crm-http.json has no nodes');
  let question: string | undefined;
  const nodes = example.nodes.map((node: unknown) => {
    if (!isObject(node) || !isObject(node.data)) return node;
    if (node.type === 'askQuestion' && typeof node.data.question === 'string') question = node.data.question;
    if (node.type === 'http.request') return { ...node, data: { ...node.data, url: crmUrl } };
    return node;
  });
  if (!question) throw new Error('examples/csat-crm-http.json has no askQuestion step with a question');
  return { document: { ...example, id: BENCH_WORKFLOW_ID, nodes }, question };
}

/** Creates and publishes the workflow through the API, as an operator would: the CRM token
 * its header references (`{{secret:crm-token}}`) first, then the workflow. */
export async function publishWorkflow(api: ApiClient, workflow: BenchWorkflow): Promise<void> {
  const secret = await api.operator('POST', '/api/connections', {
    id: 'crm-token',
    type: 'secret',
    name: 'CRM token (bench)',
    value: 'bench-crm-token',
  });
  if (secret.status !== 201 && secret.status !== 409) {
    throw new Error(`Storing the bench CRM token answered HTTP ${secret.status}: ${JSON.stringify(secret.body)}`);
  }
  const created = await api.operator('POST', '/api/workflows', workflow.document);
  if (created.status !== 201 && created.status !== 200) {
    throw new Error(`Creating the bench workflow answered HTTP ${created.status}: ${JSON.stringify(created.body)}`);
  }
  const published = await api.operator('POST', `/api/workflows/${BENCH_WORKFLOW_ID}/publish`);
  if (published.status !== 200) {
    throw new Error(
      `Publishing the bench workflow answered HTTP ${published.status}: ${JSON.stringify(published.body)}`,
    );
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
