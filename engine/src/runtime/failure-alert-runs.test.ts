import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookRecorder, type WebhookRecorder } from '../../../test/stand-ins/webhook-recorder.ts';
import { AlertPayload } from '../contract/alerts.ts';
import { ms } from '../testing/test-nodes.ts';
import type { Runtime } from './options.ts';
import { closedEvent, eventually, type Harness, harness, publishOnly, runReaches, workflow } from './test-kit.ts';

/** Which runs record a failure for the workflow's alert: the interpreter's side of alerts. */
let h: Harness;
let rt: Runtime;
let hooks: WebhookRecorder;

const alerts = () => ({
  reenrollment: { mode: 'always' as const },
  alerts: {
    destinations: [{ kind: 'webhook' as const, url: `${hooks.url}/alerts`, secretId: 'alerts-key' }],
    quietMinutes: 1,
  },
});
const payloads = (workflowId: string) =>
  hooks.posts.map((post) => AlertPayload.parse(post.body)).filter((payload) => payload.workflow.id === workflowId);

beforeAll(async () => {
  h = await harness();
  hooks = await startWebhookRecorder();
  rt = await h.start({ publicUrl: 'https://flows.example.com' });
  await rt.api.connections.create({ id: 'alerts-key', type: 'secret', name: 'Alerts', value: 'alerts-signing-key' });
});
afterAll(async () => {
  await h.cleanup();
  await hooks.close();
});

async function endedRun(workflowId: string): Promise<string> {
  const [runId] = await rt.api.triggers.conversationClosed(closedEvent());
  if (runId === undefined) throw new Error(`no run of ${workflowId}`);
  await eventually(`run ${runId} ended`, async () =>
    (await rt.api.runs.get(runId)).endedAt === null ? undefined : true,
  );
  return runId;
}

describe('failures recorded for alerts', () => {
  it('a step that errors fails the run, and the alert names it with the error', async () => {
    await publishOnly(
      rt,
      workflow(
        'errors',
        [
          { id: 'start', type: 'test.closed', data: {} },
          { id: 'crm', type: 'test.action', data: { text: 'fail' }, label: 'Tell the CRM' },
        ],
        ['start>crm'],
        alerts(),
      ),
    );
    const runId = await endedRun('errors');
    const [payload] = await eventually('the alert', async () =>
      payloads('errors').length > 0 ? payloads('errors') : undefined,
    );
    expect(payload).toMatchObject({
      failures: 1,
      latest: {
        runId,
        step: { id: 'crm', name: 'Tell the CRM' },
        runUrl: `https://flows.example.com/#/workflows/errors/runs/${runId}`,
      },
    });
    expect(payload?.latest.reason).toBe((await rt.api.runs.get(runId)).error);
  });

  it('a step left by its timeout exit (not wired on) alerts; a test run records nothing', async () => {
    await publishOnly(
      rt,
      workflow(
        'times-out',
        [
          { id: 'start', type: 'test.closed', data: {} },
          { id: 'ask', type: 'test.ask', data: { question: 'Rate us 1-5', saveAs: 'rating', timeout: ms(40) } },
        ],
        ['start>ask'],
        alerts(),
      ),
    );
    const simulated = await rt.api.triggers.simulate('times-out', {});
    await runReaches(rt, simulated, 'completed');
    expect(await h.redis.zscore(`${h.prefix}alerts:due`, 'times-out')).toBeNull();

    const runId = await endedRun('times-out');
    const [payload] = await eventually('the alert', async () =>
      payloads('times-out').length > 0 ? payloads('times-out') : undefined,
    );
    expect(payload?.latest).toMatchObject({ runId, step: { id: 'ask' } });
  });
});
