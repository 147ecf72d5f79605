import type { AuditPage, VersionSummary } from '@convoflow/engine';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { example } from '../support/examples.ts';
import { callApi, type Product, startProduct } from '../support/product.ts';

/**
 * The audit log through the product as `npm start` composes it, over HTTP: a named key's
 * changes are logged under its name, its versions carry its name, the CSV downloads, and
 * AUDIT_RETENTION_DAYS reaches the store (an entry older than it goes at the next write).
 */

const DAY_MS = 86_400_000;
let product: Product;
let redis: Redis;

beforeAll(async () => {
  product = await startProduct({ worker: false, env: { AUDIT_RETENTION_DAYS: '7' } });
  redis = new Redis(product.config.redisUrl, { maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  redis.disconnect();
  await product.close();
});

it('logs a named key’s changes under its name, names it on its versions, and trims past AUDIT_RETENTION_DAYS', async () => {
  // An entry from eight days ago, as a longer-lived install would have left it.
  const stream = `${product.prefix}audit`;
  const old = JSON.stringify({
    actor: { kind: 'install-key', id: 'api-key', name: 'Old', role: 'owner' },
    action: 'workflow.created',
    target: { kind: 'workflow', id: 'old' },
  });
  await redis.xadd(stream, `${Date.now() - 8 * DAY_MS}-0`, 'e', old);

  const created = await product.api('POST', '/api/keys', { name: 'Zapier', role: 'editor' });
  expect(created.status).toBe(201);
  const key = (created.body as { key: string }).key;
  const secret = { id: 'crm-token', type: 'secret', name: 'CRM token', value: 'crm_live_e2e_0a9c3d7e2f' };
  expect((await callApi(product.url, key, 'POST', '/api/connections', secret)).status).toBe(201);
  const workflow = example('csat-crm-http');
  expect((await callApi(product.url, key, 'POST', '/api/workflows', workflow)).status).toBe(201);
  const published = await callApi(product.url, key, 'POST', `/api/workflows/${workflow.id}/publish`, {
    note: 'Live',
  });
  expect(published.status).toBe(200);

  const versions = (await product.api('GET', `/api/workflows/${workflow.id}/versions`)).body as VersionSummary[];
  expect(versions).toMatchObject([{ version: 1, note: 'Live', publishedBy: 'Zapier' }]);

  const page = (await product.api('GET', '/api/audit')).body as AuditPage;
  expect(page.entries.map(({ action, actor, target }) => [action, actor.name, actor.role, target.name])).toEqual([
    ['workflow.published', 'Zapier', 'editor', workflow.name],
    ['workflow.created', 'Zapier', 'editor', workflow.name],
    ['connection.created', 'Zapier', 'editor', 'CRM token'],
    ['key.created', 'API key', 'owner', 'Zapier'],
  ]);
  expect(page.more).toBe(false);
  // The eight-day-old entry went with the first write.
  expect(await redis.xlen(stream)).toBe(4);

  const csv = await fetch(`${product.url}/api/audit.csv?action=workflow.published`, {
    headers: { authorization: `Bearer ${product.apiKey}` },
  });
  expect(csv.status).toBe(200);
  const lines = (await csv.text()).split('\r\n');
  expect(lines).toHaveLength(3);
  expect(lines[1]).toContain(',Zapier,key,editor,workflow.published,workflow,csat-crm-http,');
  expect(lines[1]).toContain('"{""version"":1,""note"":""Live""}"');
  expect((await callApi(product.url, key, 'GET', '/api/audit')).status).toBe(403);
  expect(JSON.stringify(page)).not.toContain(secret.value);
});
