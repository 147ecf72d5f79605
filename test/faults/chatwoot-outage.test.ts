import type { RunDetail } from '@convoflow/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ChatwootStandIn, startChatwoot } from '../stand-ins/chatwoot.ts';
import { type CrmStandIn, startCrm } from '../stand-ins/crm.ts';
import { connectChatwoot, publishCsatToCrm } from '../support/channels.ts';
import { example } from '../support/examples.ts';
import { type Product, randomSecret, startProduct } from '../support/product.ts';
import { waitFor } from '../support/wait-for.ts';

/** Chatwoot down for good: the engine's retries, then a failure that says why, where it belongs. */
describe('Chatwoot down for good', () => {
  let product: Product;
  let chatwoot: ChatwootStandIn;
  let crm: CrmStandIn;

  beforeEach(async () => {
    const webhookSecret = randomSecret();
    [chatwoot, crm, product] = await Promise.all([startChatwoot({ webhookSecret }), startCrm(), startProduct()]);
    await connectChatwoot(product, chatwoot, { id: 'helpdesk', webhookSecret });
    await publishCsatToCrm(product, crm.url);
  });

  afterEach(async () => {
    await product?.close();
    await Promise.all([chatwoot?.close(), crm?.close()]);
  });

  it('fails the survey after the retries with Chatwoot’s answer in the run log, having sent nothing', async () => {
    chatwoot.failNext(1_000, 502);
    expect((await chatwoot.resolve(11)).status).toBe(200);
    const run = await waitFor(
      async () => {
        const [summary] = (await product.api('GET', '/api/runs?workflowId=csat-crm-http')).body as RunDetail[];
        const detail = summary && ((await product.api('GET', `/api/runs/${summary.id}`)).body as RunDetail);
        return detail?.status === 'failed' && detail;
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    const failures = run.steps.filter((step) => step.nodeId === 'ask' && step.outcome === 'failed');
    expect(failures.length).toBeGreaterThanOrEqual(5);
    expect(failures.at(-1)?.error).toMatch(/502/);
    expect(run.error).toMatch(/502/);
    expect(chatwoot.messages).toEqual([]);
    const attempts = chatwoot.calls.filter((call) => call.path.endsWith('/conversations/11/messages'));
    expect(attempts.length).toBe(failures.length);
    expect(crm.attempts).toEqual([]);
  });

  it('sends a helpdesk step Chatwoot keeps refusing down its failure exit after the retries, and the run goes on', async () => {
    // This test's survey alone asks on conversation 12.
    expect((await product.api('POST', '/api/workflows/csat-crm-http/unpublish')).status).toBe(200);
    // The example without its thanks: after the answer, the private note is Chatwoot's next call.
    const csat = example('chatwoot-csat');
    csat.nodes = csat.nodes.filter((node) => node.id !== 'thanks');
    csat.edges = [
      ...csat.edges.filter((edge) => edge.source !== 'thanks' && edge.target !== 'thanks'),
      { id: 'ask-score', source: 'ask', sourceHandle: 'answered', target: 'score' },
    ];
    await product.api('POST', '/api/workflows', csat);
    const published = await product.api('POST', '/api/workflows/chatwoot-csat/publish');
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    await chatwoot.resolve(12);
    await chatwoot.nextMessage(12);
    // Refused five times: every attempt the engine makes at the note.
    chatwoot.failNext(5, 502);
    await chatwoot.incomingMessage(12, '1');
    const run = await waitFor(
      async () => {
        const runs = (await product.api('GET', '/api/runs?workflowId=chatwoot-csat')).body as RunDetail[];
        const detail = runs[0] && ((await product.api('GET', `/api/runs/${runs[0].id}`)).body as RunDetail);
        return detail?.status === 'completed' && detail;
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    const note = run.steps.find((step) => step.nodeId === 'note' && step.outcome === 'exited');
    expect(note).toMatchObject({ exit: 'failure' });
    expect(note?.note).toMatch(/502.*still failing after the engine's retries/);
    expect(chatwoot.conversation(12).labels).toContain('low-csat');
  });
});
