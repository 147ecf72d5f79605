// biome-ignore-all lint/suspicious/noTemplateCurlyInString: "${…}" in plain strings is the attack under test, sent as text.
import { randomInt } from 'node:crypto';
import type { RunDetail } from '@convoflow/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { closedEvent, startChatPlatform } from '../stand-ins/chat-platform.ts';
import { startCrm } from '../stand-ins/crm.ts';
import { type Product, randomSecret, startProduct } from '../support/product.ts';
import { waitFor } from '../support/wait-for.ts';
import { Cleanup } from './support/cleanup.ts';
import { csatToCrm } from './support/csat-workflow.ts';
import { HostileRequests, Random, TEMPLATE_ATTACKS } from './support/hostile-requests.ts';

/**
 * Thousands of generated bad requests against every route of the product running in this
 * process (its worker included): none may get a 5xx or crash it, and none may pollute the
 * prototypes of this process. The seed is printed; `FUZZ_SEED=<seed>` replays the same requests.
 */

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : randomInt(2 ** 31);
const REQUESTS = process.env.FUZZ_REQUESTS ? Number(process.env.FUZZ_REQUESTS) : 4_000;
const LANES = 8;

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const prototypes = {
  Object: Object.prototype,
  Array: Array.prototype,
  Function: Function.prototype,
  String: String.prototype,
};
const ownNames = () =>
  Object.fromEntries(
    Object.entries(prototypes).map(([name, proto]) => [name, Object.getOwnPropertyNames(proto).sort()]),
  );

async function shortcutRun(product: Product, workflowId: string, contactName: string): Promise<RunDetail> {
  const started = await product.api('POST', `/api/workflows/${workflowId}/shortcut`, {
    conversationId: `conv-${randomInt(1e9)}`,
    contact: { id: `contact-${randomInt(1e9)}`, name: contactName },
    triggeredBy: { id: 'agent-1', name: contactName },
  });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  const { runId } = started.body as { runId: string };
  return waitFor(
    async () => {
      const run = await product.runtime.api.runs.get(runId);
      return run.status === 'completed' || run.status === 'failed' ? run : null;
    },
    { timeoutMs: 20_000, what: `run ${runId} to end` },
  );
}

/** Attacks that are not `$variable` references, so a workflow holding them as text can be published. */
const LITERAL_ATTACKS = '${process.exit()} | {{7*7}} | #{7*7} | <%= 7*7 %>';

const echoWorkflow = (id: string, crmUrl: string) => ({
  id,
  name: 'Echo hostile values',
  nodes: [
    { id: 'start', type: 'trigger.shortcut', position: { x: 0, y: 0 }, data: { label: 'Echo' } },
    {
      id: 'say',
      type: 'sendMessage',
      position: { x: 0, y: 150 },
      data: { text: `Hi $contact.name | ${LITERAL_ATTACKS}` },
    },
    {
      id: 'post',
      type: 'http.request',
      position: { x: 0, y: 300 },
      data: {
        method: 'POST',
        url: `${crmUrl}/echo`,
        headers: [{ name: 'Content-Type', value: 'application/json' }],
        body: '{"name": "Hi $contact.name", "code": "${process.exit()}", "mustache": "{{7*7}}", "whole": $contact.name}',
        retries: 0,
      },
    },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'say' },
    { id: 'e2', source: 'say', target: 'post' },
  ],
});

describe('hostile input', () => {
  it(`${REQUESTS} generated bad requests, signed and unsigned: no 5xx, no crash, no prototype pollution`, async () => {
    console.log(`[faults] fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED} npm run test:faults -- hostile-input)`);
    const namesBefore = ownNames();
    const webhookSecret = randomSecret();
    const chat = cleanup.add('chat stand-in', await startChatPlatform({ webhookSecret }), (c) => c.close());
    const product = cleanup.add(
      'product',
      await startProduct({ channelWebhookUrl: chat.webhookUrl, webhookSecret, allowPrivateNetwork: false }),
      (p) => p.close(),
    );
    expect(
      (await product.api('POST', '/api/workflows', csatToCrm('csat', { crmUrl: 'http://127.0.0.1:9/' }))).status,
    ).toBe(201);
    expect((await product.api('POST', '/api/workflows/csat/publish')).status).toBe(200);
    const seeded = await product.platform.sendConversationClosed(closedEvent());
    const runIds = (seeded.body as { runs: string[] }).runs;

    const generator = new HostileRequests(new Random(SEED), product, { workflowIds: ['csat'], runIds });
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    let generated = 0;
    await Promise.all(
      Array.from({ length: LANES }, async () => {
        while (generated < REQUESTS) {
          const index = generated++;
          const request = generator.next();
          try {
            const response = await product.app.inject({
              method: request.method,
              url: request.url,
              headers: request.headers,
              ...(request.payload === undefined ? {} : { payload: request.payload }),
            });
            statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
            if (response.statusCode >= 500) {
              failures.push(`#${index} ${request.label} → ${response.statusCode} ${response.body.slice(0, 300)}`);
            }
          } catch (error) {
            failures.push(
              `#${index} ${request.label} → threw ${error instanceof Error ? error.message : String(error)}`,
            );
          }
        }
      }),
    );
    console.log(
      `[faults] fuzz seed ${SEED}: ${REQUESTS} requests, statuses ${[...statuses]
        .sort(([a], [b]) => a - b)
        .map(([status, count]) => `${status}×${count}`)
        .join(' ')}`,
    );
    expect(failures.slice(0, 20), `${failures.length} requests failed (seed ${SEED})`).toEqual([]);

    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
    expect(ownNames()).toEqual(namesBefore);

    // Still up and still working, over real HTTP, with a workflow the fuzz could not touch
    // ("csat" may have been edited or deleted by it, legitimately).
    expect((await fetch(`${product.url}/health`)).status).toBe(200);
    expect((await fetch(`${product.url}/ready`)).status).toBe(200);
    const survey = { ...csatToCrm('after-fuzz', { crmUrl: 'http://127.0.0.1:9/' }), name: 'After the fuzz' };
    expect((await product.api('POST', '/api/workflows', survey)).status).toBe(201);
    expect((await product.api('POST', '/api/workflows/after-fuzz/publish')).status).toBe(200);
    const event = closedEvent();
    const accepted = await product.platform.sendConversationClosed(event);
    expect(accepted.status).toBe(202);
    expect((await chat.nextMessage(event.conversation.id, { timeoutMs: 20_000 })).text).toContain('satisfied');
  });

  it('answers a single-step test of a node type named like an Object.prototype member as an unknown type, not a 500', async () => {
    const product = cleanup.add('product', await startProduct({ worker: false }), (p) => p.close());
    for (const type of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const response = await product.api('POST', `/api/nodes/${type}/test`, { data: {}, variables: {} });
      expect({ type, status: response.status }, JSON.stringify(response.body)).toEqual({ type, status: 404 });
    }
  });

  it('refuses to publish prototype paths as variables; renders hostile values and literal templates as text', async () => {
    const namesBefore = ownNames();
    const webhookSecret = randomSecret();
    const chat = cleanup.add('chat stand-in', await startChatPlatform({ webhookSecret }), (c) => c.close());
    const crm = cleanup.add('CRM stand-in', await startCrm(), (c) => c.close());
    const product = cleanup.add(
      'product',
      await startProduct({ channelWebhookUrl: chat.webhookUrl, webhookSecret }),
      (p) => p.close(),
    );

    // `$__proto__.polluted` and friends are variables nothing produces: publishing says so, by node.
    const sneaky = echoWorkflow('sneaky', crm.url);
    sneaky.nodes[1]!.data = { text: TEMPLATE_ATTACKS.join(' | ') };
    expect((await product.api('POST', '/api/workflows', sneaky)).status).toBe(201);
    const refused = await product.api('POST', '/api/workflows/sneaky/publish');
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body)).toContain('\\"$__proto__.polluted\\" is not set by any step');

    expect((await product.api('POST', '/api/workflows', echoWorkflow('echo', crm.url))).status).toBe(201);
    const published = await product.api('POST', '/api/workflows/echo/publish');
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    for (const contactName of [
      '${process.exit()}',
      '{{7*7}}',
      '__proto__',
      '$__proto__.polluted',
      '$constructor.prototype',
    ]) {
      const run = await shortcutRun(product, 'echo', contactName);
      expect(run.status, JSON.stringify(run.steps)).toBe('completed');
      const said = chat.messagesFor(run.conversationId)[0]?.text;
      expect(said).toBe(`Hi ${contactName} | ${LITERAL_ATTACKS}`);
      const posted = crm.received.at(-1)!;
      expect(posted.body, posted.rawBody).toEqual({
        name: `Hi ${contactName}`,
        code: '${process.exit()}',
        mustache: '{{7*7}}',
        whole: contactName,
      });
    }

    // A single step run with hand-made variables skips validation: prototype paths must read nothing there either.
    const stepTest = (variables: string) =>
      product.app.inject({
        method: 'POST',
        url: '/api/nodes/http.request/test',
        headers: { authorization: `Bearer ${product.apiKey}`, 'content-type': 'application/json' },
        payload: `{"data": {"method": "POST", "url": "${crm.url}/step", "retries": 0,
          "headers": [{"name": "Content-Type", "value": "application/json"}],
          "body": "{\\"a\\": \\"$__proto__.polluted\\", \\"b\\": \\"$constructor.prototype.polluted\\", \\"c\\": \\"$contact.constructor.name\\", \\"d\\": \\"$contact.toString\\", \\"e\\": \\"$toString\\"}"},
          "variables": ${variables}}`,
      });
    const protoKey = await stepTest('{"contact": {"__proto__": {"polluted": "yes"}}}');
    expect(protoKey.statusCode, protoKey.body).toBe(400);
    const tested = await stepTest('{"contact": {"name": "Ada"}}');
    expect(tested.statusCode, tested.body).toBe(200);
    expect(tested.json()).toMatchObject({ exit: 'success' });
    const echoed = crm.received.find((request) => request.path === '/step');
    expect(echoed?.body, echoed?.rawBody).toEqual({ a: '', b: '', c: '', d: '', e: '' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(ownNames()).toEqual(namesBefore);
  });
});
