import type { ConnectionSummary, WorkflowInput } from '@convoflow/engine';
import { checkSignature } from '@convoflow/engine/server-only';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceAccountKey } from '../stand-ins/google-sheets.ts';
import { startWebhookRecorder, type WebhookRecorder } from '../stand-ins/webhook-recorder.ts';
import { waitFor } from '../support/wait-for.ts';
import { type Scenario, startScenario } from './scenario.ts';

const PUBLIC_URL = 'https://flows.example.com';
const HOOK_SECRET = 'alerts-hook-secret-0123456789';

/**
 * Failure alerts and refused credentials through the product: a Sheets step whose key Google
 * refuses fails published runs, the workflow's alert reaches a Slack-style and a signed generic
 * webhook (stood in for on loopback) once per quiet window, and the connection shows the refusal
 * until Google accepts the key.
 */
describe('failure alerts and refused connections', () => {
  let scenario: Scenario;
  let hooks: WebhookRecorder;
  const stranger = createServiceAccountKey('stranger');

  const workflow = (): WorkflowInput => ({
    id: 'alerting',
    name: 'Ratings to the sheet',
    nodes: [
      { id: 'start', type: 'trigger.shortcut', position: { x: 0, y: 0 }, data: { label: 'Save rating' } },
      {
        id: 'sheet',
        type: 'googleSheets.addRow',
        label: 'Save the rating',
        position: { x: 0, y: 150 },
        data: {
          connectionId: 'google-stranger',
          spreadsheetId: 'ratings',
          sheet: 'CSAT',
          columns: [{ column: 'Conversation', value: '$conversation.id' }],
        },
      },
    ],
    edges: [{ id: 'e1', source: 'start', target: 'sheet' }],
    settings: {
      reenrollment: { mode: 'always' },
      alerts: {
        destinations: [
          { kind: 'slack', urlSecretId: 'slack-url' },
          { kind: 'webhook', url: `${hooks.url}/alerts`, secretId: 'alerts-hook' },
        ],
        quietMinutes: 15,
      },
    },
  });

  beforeAll(async () => {
    hooks = await startWebhookRecorder();
    scenario = await startScenario({ productEnv: { PUBLIC_URL } });
    scenario.sheets.addSpreadsheet('ratings', { CSAT: [['Conversation']] });
    const { product } = scenario;
    for (const body of [
      { id: 'slack-url', type: 'secret', name: 'Slack #ops webhook', value: `${hooks.url}/services/T0/B0/xyz` },
      { id: 'alerts-hook', type: 'secret', name: 'Alerts signing secret', value: HOOK_SECRET },
      {
        id: 'google-stranger',
        type: 'google',
        name: 'Key Google does not know',
        serviceAccountKey: stranger,
        apiEndpoint: scenario.sheets.url,
      },
    ]) {
      const created = await product.api('POST', '/api/connections', body);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
  });
  afterAll(async () => {
    await scenario.close();
    await hooks.close();
  });

  const shortcut = async (conversationId: string) => {
    const started = await scenario.product.api('POST', '/api/workflows/alerting/shortcut', {
      conversationId,
      contact: { id: `contact-${conversationId}` },
      triggeredBy: { id: 'agent-1' },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    return (started.body as { runId: string }).runId;
  };
  const connection = async (id: string) => {
    const listed = await scenario.product.api('GET', '/api/connections');
    return (listed.body as ConnectionSummary[]).find((candidate) => candidate.id === id);
  };
  const slackPosts = () => hooks.posts.filter((post) => post.path.startsWith('/services/'));
  const webhookPosts = () => hooks.posts.filter((post) => post.path === '/alerts');

  it('publishing names an alert secret that does not exist', async () => {
    const broken = workflow();
    broken.id = 'broken-alerts';
    broken.settings = {
      reenrollment: { mode: 'always' },
      alerts: { destinations: [{ kind: 'slack', urlSecretId: 'nope' }] },
    };
    await scenario.product.api('POST', '/api/workflows', broken);
    const published = await scenario.product.api('POST', '/api/workflows/broken-alerts/publish');
    expect(published.status).toBe(422);
    expect(JSON.stringify(published.body)).toContain('settings.alerts.destinations.0.urlSecretId');
  });

  it('sends one alert for three failures in the quiet window, naming the step and linking the run', async () => {
    await scenario.publish(workflow());
    const runIds = [await shortcut('c1'), await shortcut('c2'), await shortcut('c3')];
    for (const runId of runIds) {
      const run = await scenario.ended(runId);
      expect(run.steps.at(-1)).toMatchObject({ nodeId: 'sheet', exit: 'failure' });
    }
    await waitFor(() => slackPosts().length === 1 && webhookPosts().length === 1, { what: 'the alert' });
    // More failures in the window wait for its end.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(slackPosts()).toHaveLength(1);
    expect(webhookPosts()).toHaveLength(1);

    const text = (slackPosts()[0]!.body as { text: string }).text;
    expect(text).toMatch(
      /^Workflow "Ratings to the sheet": .*step "Save the rating" failed: Google rejected the credentials of stranger@/,
    );
    expect(text).toMatch(new RegExp(`Run: ${PUBLIC_URL}/#/workflows/alerting/runs/(${runIds.join('|')})$`));

    const signed = webhookPosts()[0]!;
    const check = checkSignature(
      Buffer.from(signed.rawBody),
      {
        signature: String(signed.headers['x-signature-256']),
        timestamp: String(signed.headers['x-signature-timestamp']),
      },
      HOOK_SECRET,
      { requireTimestamp: true },
    );
    expect(check.ok).toBe(true);
    expect(signed.body).toMatchObject({
      event: 'workflow.failures',
      workflow: { id: 'alerting', name: 'Ratings to the sheet' },
      latest: { step: { id: 'sheet', name: 'Save the rating' } },
    });
    expect(
      hooks.posts.every((post) => !post.rawBody.includes(HOOK_SECRET) && !post.rawBody.includes('/services/')),
    ).toBe(true);
  });

  it('sends nothing for a test run', async () => {
    const before = hooks.posts.length;
    await scenario.product.api('PUT', '/api/workflows/alerting', {
      ...workflow(),
      settings: {
        reenrollment: { mode: 'always' },
        alerts: { destinations: [{ kind: 'slack', urlSecretId: 'slack-url' }], quietMinutes: 1 },
      },
    });
    const started = await scenario.product.api('POST', '/api/workflows/alerting/simulate', { trigger: 'shortcut' });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    await scenario.ended((started.body as { runId: string }).runId);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(hooks.posts.length).toBe(before);
  });

  it('shows the refusal on the connection, and Check connection asks Google', async () => {
    const refused = await connection('google-stranger');
    expect(refused?.refusedAt).toEqual(expect.any(Number));
    expect(refused?.refusedReason).toContain('Google rejected the credentials of stranger@');
    expect((await connection('google'))?.refusedAt).toBeUndefined();

    const good = await scenario.product.api('POST', '/api/connections/google/check');
    expect(good).toMatchObject({
      status: 200,
      body: { ok: true, detail: expect.stringContaining('Google accepted the key') },
    });
    const bad = await scenario.product.api('POST', '/api/connections/google-stranger/check');
    expect(bad).toMatchObject({
      status: 200,
      body: { ok: false, problem: expect.stringContaining('Google refused the key') },
    });
  });

  it('clears the refusal once Google accepts the key', async () => {
    scenario.sheets.trust(stranger);
    const run = await scenario.ended(await shortcut('c4'));
    expect(run.steps.at(-1)).toMatchObject({ nodeId: 'sheet', exit: 'success' });
    const cleared = await connection('google-stranger');
    expect(cleared?.refusedAt).toBeUndefined();
    expect(cleared?.refusedReason).toBeUndefined();
  });

  it('sends a test alert to the settings being edited, saying what each destination answered', async () => {
    const before = slackPosts().length;
    const tried = await scenario.product.api('POST', '/api/workflows/alerting/alerts/test', {
      alerts: { destinations: [{ kind: 'slack', urlSecretId: 'slack-url' }] },
    });
    expect(tried).toMatchObject({
      status: 200,
      body: { results: [{ destination: 'Slack webhook (secret "Slack #ops webhook")', ok: true }] },
    });
    expect(slackPosts()).toHaveLength(before + 1);
    expect(JSON.stringify(slackPosts().at(-1)?.body)).toContain(`Runs: ${PUBLIC_URL}/#/workflows/alerting/runs`);

    const missing = await scenario.product.api('POST', '/api/workflows/nope/alerts/test', {
      alerts: { destinations: [] },
    });
    expect(missing.status).toBe(404);
    const invalid = await scenario.product.api('POST', '/api/workflows/alerting/alerts/test', {
      alerts: { destinations: [{ kind: 'webhook', url: 'not a url', secretId: 'alerts-hook' }] },
    });
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(invalid.body)).toContain('alerts.destinations.0.url');
  });
});
