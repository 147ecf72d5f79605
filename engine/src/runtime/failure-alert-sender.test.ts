import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWebhookRecorder, type WebhookRecorder } from '../../../test/stand-ins/webhook-recorder.ts';
import { AlertPayload } from '../contract/alerts.ts';
import { createMetrics } from '../metrics.ts';
import { ConnectionNotFoundError } from '../sdk/errors.ts';
import type { Connection } from '../sdk/runner.ts';
import { checkSignature, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../signing/webhook-signature.ts';
import { testRedis } from '../stores/test-redis.ts';
import type { FailureAlerts } from '../workflow/failure-alerts.ts';
import type { Workflow } from '../workflow/schema.ts';
import { alertKeys, failureAlertCommands } from './failure-alert-record.ts';
import { FailureAlertSender } from './failure-alert-sender.ts';

const { redis, prefix, cleanup } = testRedis();
const keys = alertKeys(prefix);
const MINUTE = 60_000;
const HOOK_SECRET = 'hook-signing-secret-0123';
let recorder: WebhookRecorder;
let alerts: FailureAlerts | undefined;
let sender: FailureAlertSender;
const metrics = createMetrics();

const workflow = (): Workflow => ({
  id: 'csat',
  name: 'CSAT survey',
  nodes: [
    { id: 'trigger', type: 'conversation-closed', position: { x: 0, y: 0 }, data: {} },
    { id: 'sheet', type: 'google-sheets-add-row', position: { x: 0, y: 100 }, data: {}, label: 'Save the rating' },
  ],
  edges: [],
  settings: { reenrollment: { mode: 'always' }, ...(alerts ? { alerts } : {}) },
});

beforeAll(async () => {
  recorder = await startWebhookRecorder();
  const secrets: Record<string, Connection> = {
    'slack-url': { id: 'slack-url', type: 'secret', name: 'Slack', value: `${recorder.url}/services/T1/B2/xyz` },
    'hook-secret': { id: 'hook-secret', type: 'secret', name: 'Hook', value: HOOK_SECRET },
  };
  sender = new FailureAlertSender({
    redis,
    keys,
    getVersion: async () => workflow(),
    resolveConnection: async (id) => {
      const connection = secrets[id];
      if (!connection) throw new ConnectionNotFoundError(id);
      return connection;
    },
    publicUrl: 'https://flows.example.com/',
    allowPrivateNetwork: true,
    logger: pino({ level: 'silent' }),
    metrics,
  });
});
afterAll(async () => {
  await recorder.close();
  await cleanup();
});
beforeEach(async () => {
  await redis.del(keys.due(), keys.workflow('csat'));
  alerts = { destinations: [{ kind: 'slack', urlSecretId: 'slack-url' }], quietMinutes: 15 };
});

let runs = 0;
async function fail(at: number, options: { test?: boolean; nodeId?: string | null; reason?: string } = {}) {
  runs += 1;
  const run = { id: `run-${runs}`, test: options.test ?? false, workflowId: 'csat', workflowVersion: 1 };
  const reason = options.reason ?? `Google said no (${runs})`;
  const commands = failureAlertCommands(keys, run, options.nodeId ?? 'sheet', reason, at);
  for (const [name, ...args] of commands) await redis.call(name, ...args);
  return run.id;
}

const texts = () =>
  recorder.posts
    .filter((post) => post.path.startsWith('/services/'))
    .map((post) => (post.body as { text: string }).text);

describe('failure alerts', () => {
  it('sends at most one alert per quiet window, the next one counting the failures in between', async () => {
    const before = texts().length;
    const t0 = Date.now();
    const first = await fail(t0);
    expect(await sender.sendDue(t0)).toBe(1);
    expect(texts().slice(before)).toEqual([
      `Workflow "CSAT survey": step "Save the rating" failed: Google said no (${runs})\nRun: https://flows.example.com/#/workflows/csat/runs/${first}`,
    ]);

    await fail(t0 + MINUTE);
    const latest = await fail(t0 + 2 * MINUTE);
    expect(await sender.sendDue(t0 + 3 * MINUTE)).toBe(0);
    expect(await sender.sendDue(t0 + 14 * MINUTE)).toBe(0);
    expect(await sender.sendDue(t0 + 15 * MINUTE)).toBe(1);
    const second = texts().at(-1);
    expect(second).toContain('2 failures since the last alert');
    expect(second).toContain(`runs/${latest}`);
    expect(texts().length - before).toBe(2);

    // A quiet window without failures: the workflow leaves the due set; the next failure alerts at once.
    expect(await sender.sendDue(t0 + 30 * MINUTE)).toBe(0);
    expect(await redis.zcard(keys.due())).toBe(0);
    await fail(t0 + 40 * MINUTE);
    expect(await sender.sendDue(t0 + 40 * MINUTE)).toBe(1);
  });

  it('signs the generic webhook like the engine signs its channel webhook', async () => {
    alerts = {
      destinations: [{ kind: 'webhook', url: `${recorder.url}/alerts`, secretId: 'hook-secret' }],
      quietMinutes: 5,
    };
    const runId = await fail(Date.now(), { nodeId: 'trigger' });
    expect(await sender.sendDue()).toBe(1);
    const post = recorder.posts.at(-1)!;
    expect(post.path).toBe('/alerts');
    const check = checkSignature(
      Buffer.from(post.rawBody),
      { signature: String(post.headers[SIGNATURE_HEADER]), timestamp: String(post.headers[TIMESTAMP_HEADER]) },
      HOOK_SECRET,
      { requireTimestamp: true },
    );
    expect(check.ok).toBe(true);
    const payload = AlertPayload.parse(post.body);
    expect(payload).toMatchObject({
      event: 'workflow.failures',
      workflow: { id: 'csat', name: 'CSAT survey' },
      failures: 1,
      latest: { runId, step: { id: 'trigger', name: 'trigger' }, runUrl: expect.stringContaining(runId) },
    });
    expect(post.rawBody).not.toContain(HOOK_SECRET);
  });

  it('tries again later when a destination fails, keeping the count', async () => {
    const t0 = Date.now();
    await fail(t0);
    recorder.failNext(500, 1);
    expect(await sender.sendDue(t0)).toBe(0);
    expect(await redis.zscore(keys.due(), 'csat')).toBe(String(t0 + 10_000));
    await fail(t0 + 1_000);
    expect(await sender.sendDue(t0 + 10_000)).toBe(1);
    expect(texts().at(-1)).toContain('2 failures');
    const counted = await metrics.alertsSent.get();
    expect(counted.values.find((value) => value.labels.outcome === 'failed')?.value).toBe(1);
  });

  it('records nothing for a test run, and drops failures of a workflow without alerts', async () => {
    await fail(Date.now(), { test: true });
    expect(await redis.zcard(keys.due())).toBe(0);

    alerts = undefined;
    const before = recorder.posts.length;
    await fail(Date.now());
    expect(await sender.sendDue()).toBe(0);
    expect(recorder.posts.length).toBe(before);
    expect(await redis.zcard(keys.due())).toBe(0);
    expect(await redis.hget(keys.workflow('csat'), 'count')).toBe('0');
  });

  it('leaves the sending claim of another worker alone when its own expired meanwhile', async () => {
    await fail(Date.now());
    // The claim expires and another worker takes it just as this one reads it back to release it.
    const client = redis as unknown as { get: (...args: unknown[]) => Promise<unknown> };
    const get = client.get;
    let raced = false;
    client.get = async (...args) => {
      const value = await get.apply(redis, args);
      if (args[0] === keys.sending('csat') && !raced) {
        raced = true;
        await redis.set(keys.sending('csat'), 'other-worker');
      }
      return value;
    };
    try {
      expect(await sender.sendDue()).toBe(1);
    } finally {
      client.get = get;
    }
    expect(await redis.get(keys.sending('csat'))).toBe(raced ? 'other-worker' : null);
    await redis.del(keys.sending('csat'));
  });

  it('posts to Slack a reason quoting a contact with its mentions and links escaped', async () => {
    await fail(Date.now(), { reason: '"<!channel> <https://evil.example|Reset>" is not a valid number answer' });
    expect(await sender.sendDue()).toBe(1);
    expect(texts().at(-1)).toContain('"&lt;!channel&gt; &lt;https://evil.example|Reset&gt;" is not a valid');
  });

  it('keeps a failure recorded just before the last alert’s record would have expired', async () => {
    const t0 = Date.now();
    await fail(t0);
    expect(await sender.sendDue(t0)).toBe(1);
    // Long after that alert, its record is about to expire when the next failure comes.
    await redis.pexpire(keys.workflow('csat'), 50);
    await fail(t0 + 60 * MINUTE);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await sender.sendDue(t0 + 60 * MINUTE)).toBe(1);
    expect(await redis.pttl(keys.workflow('csat'))).toBeGreaterThan(0);
  });
});
