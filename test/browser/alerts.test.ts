import type { WorkflowInput } from '@convoflow/engine';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Scenario, startScenario } from '../e2e/scenario.ts';
import { createServiceAccountKey } from '../stand-ins/google-sheets.ts';
import { startWebhookRecorder, type WebhookRecorder } from '../stand-ins/webhook-recorder.ts';
import { builtEditor, launchChromium, screenshot } from './support/browser.ts';
import { type BrowserSession, sessionHooks, signIn, watchedPage } from './support/session.ts';

/**
 * Failure alerts and refused credentials as an operator meets them in Chromium: set up an alert
 * in the workflow's settings, a run fails on a Google key Google refuses, the alert reaches the
 * team's Slack webhook (stood in for on loopback), and the step's connection says it is refused.
 */

const WAIT_MS = 15_000;
const STEP_MS = 60_000;
const WORKFLOW_ID = 'alerts-demo';

let scenario: Scenario;
let hooks: WebhookRecorder;
let browser: Browser;
let session: BrowserSession;
let page: Page;
let runId = '';

const byTest = (id: string) => page.getByTestId(id);
const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: WAIT_MS, interval: 100 });
const textOf = (locator: Locator) => () => locator.innerText();
const slackTexts = () =>
  hooks.posts.filter((post) => post.path.startsWith('/services/')).map((post) => (post.body as { text: string }).text);
const failureTexts = () => slackTexts().filter((text) => !text.startsWith('Test alert'));

const workflow: WorkflowInput = {
  id: WORKFLOW_ID,
  name: 'Ratings to the sheet',
  nodes: [
    { id: 'start', type: 'trigger.shortcut', position: { x: 0, y: 0 }, data: { label: 'Save rating' } },
    {
      id: 'sheet',
      type: 'googleSheets.addRow',
      label: 'Save the rating',
      position: { x: 0, y: 180 },
      data: {
        connectionId: 'old-google',
        spreadsheetId: 'ratings',
        sheet: 'CSAT',
        columns: [{ column: 'Conversation', value: '$conversation.id' }],
      },
    },
  ],
  edges: [{ id: 'e1', source: 'start', target: 'sheet' }],
  settings: { reenrollment: { mode: 'always' } },
};

describe('failure alerts and refused connections in the editor', () => {
  beforeAll(async () => {
    const editorDir = builtEditor();
    browser = await launchChromium();
    hooks = await startWebhookRecorder();
    scenario = await startScenario({ editorDir });
    scenario.sheets.addSpreadsheet('ratings', { CSAT: [['Conversation']] });
    const { product } = scenario;
    for (const body of [
      { id: 'slack-ops', type: 'secret', name: 'Slack #ops webhook', value: `${hooks.url}/services/T0/B0/xyz` },
      {
        id: 'old-google',
        type: 'google',
        name: 'Old Google key',
        serviceAccountKey: createServiceAccountKey('revoked'),
        apiEndpoint: scenario.sheets.url,
      },
    ]) {
      const created = await product.api('POST', '/api/connections', body);
      if (created.status !== 201) throw new Error(`connection refused: ${JSON.stringify(created.body)}`);
    }
    await scenario.publish(workflow);

    session = await watchedPage(browser, { width: 1440, height: 900 }, WAIT_MS);
    page = session.page;
  });

  sessionHooks(() => ({ browser, scenario, session }));
  afterAll(() => hooks?.close());

  it('sets up a Slack alert in the workflow settings, the secret picked by name', { timeout: STEP_MS }, async () => {
    await signIn(page, scenario.product);
    await page.goto(`${scenario.product.url}/#/workflows/${WORKFLOW_ID}`);
    await byTest('node-sheet').waitFor();

    await byTest('settings-button').click();
    const alerts = byTest('failure-alerts');
    await alerts.getByLabel('Send an alert when a step fails').check();
    const secret = alerts.getByLabel('Secret holding the Slack webhook URL');
    await alerts.getByRole('option', { name: 'Slack #ops webhook' }).waitFor({ state: 'attached' });
    await secret.selectOption({ label: 'Slack #ops webhook' });
    await alerts.getByLabel('Quiet minutes between two alerts').fill('10');
    await alerts.getByRole('button', { name: 'Send test alert' }).click();
    await eventually(textOf(alerts.getByRole('status'))).toBe(
      'Slack webhook (secret "Slack #ops webhook"): took the test alert',
    );
    expect(slackTexts()).toEqual([expect.stringMatching(/^Test alert for workflow "Ratings to the sheet"/)]);
    await screenshot(page, 'alerts-01-settings');
    await page.getByRole('button', { name: 'Apply' }).click();
    await byTest('failure-alerts').waitFor({ state: 'detached' });

    await byTest('save-button').click();
    await eventually(async () => {
      const saved = await scenario.product.api('GET', `/api/workflows/${WORKFLOW_ID}`);
      return (saved.body as WorkflowInput).settings?.alerts;
    }).toEqual({ destinations: [{ kind: 'slack', urlSecretId: 'slack-ops' }], quietMinutes: 10 });
    const published = await scenario.product.api('POST', `/api/workflows/${WORKFLOW_ID}/publish`);
    expect(published.status, JSON.stringify(published.body)).toBe(200);
  });

  it('a run that fails on a refused key sends the alert, naming the step and linking the run', {
    timeout: STEP_MS,
  }, async () => {
    const started = await scenario.product.api('POST', `/api/workflows/${WORKFLOW_ID}/shortcut`, {
      conversationId: 'conv-1',
      contact: { id: 'contact-1', name: 'Ada' },
      triggeredBy: { id: 'agent-1' },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    runId = (started.body as { runId: string }).runId;
    const run = await scenario.ended(runId);
    expect(run.steps.at(-1)).toMatchObject({ nodeId: 'sheet', exit: 'failure' });

    await eventually(() => failureTexts().length).toBe(1);
    const [text] = failureTexts();
    expect(text).toContain(
      'Workflow "Ratings to the sheet": step "Save the rating" failed: Google rejected the credentials',
    );
    expect(text).toContain(`/#/workflows/${WORKFLOW_ID}/runs/${runId}`);
  });

  it('shows "Refused since" on the step’s Google connection, and Check connection asks Google', {
    timeout: STEP_MS,
  }, async () => {
    await page.reload();
    await page.getByRole('button', { name: /fit view/i }).click();
    await byTest('node-sheet').click();
    const panel = byTest('node-panel');
    const refused = panel.getByTestId('connection-refused');
    await eventually(textOf(refused)).toMatch(
      /^Refused since (just now|\d+ seconds? ago): Google rejected the credentials of revoked@/,
    );

    await refused.scrollIntoViewIfNeeded();
    await screenshot(page, 'alerts-02-refused-connection');

    // The check asks Google again; its answer takes the notice's place rather than repeating it.
    await panel.getByRole('button', { name: 'Check connection' }).click();
    await eventually(textOf(panel.locator('.cf-channel-check__answer--problem'))).toContain(
      'Google refused the key of revoked@',
    );
    await eventually(() => refused.count()).toBe(0);
  });

  it('replaces the refused key in place: the check passes and the next run writes the row', {
    timeout: STEP_MS,
  }, async () => {
    const fresh = createServiceAccountKey('fresh');
    scenario.sheets.trust(fresh);
    const panel = byTest('node-panel');
    await panel.getByRole('button', { name: 'Replace key' }).click();
    const dialog = byTest('replace-key-dialog');
    await dialog.getByLabel('New service-account key (JSON)').fill(JSON.stringify(fresh));
    await dialog.getByRole('button', { name: 'Save new key' }).click();
    await dialog.waitFor({ state: 'detached' });
    await eventually(textOf(panel)).toContain(fresh.client_email);

    await panel.getByRole('button', { name: 'Check connection' }).click();
    await eventually(textOf(panel.locator('.cf-channel-check__answer--ok'))).toContain(
      `Google accepted the key of ${fresh.client_email}`,
    );
    expect(await panel.getByTestId('connection-refused').count()).toBe(0);
    await screenshot(page, 'alerts-03-key-replaced');

    const started = await scenario.product.api('POST', `/api/workflows/${WORKFLOW_ID}/shortcut`, {
      conversationId: 'conv-2',
      contact: { id: 'contact-2' },
      triggeredBy: { id: 'agent-1' },
    });
    const run = await scenario.ended((started.body as { runId: string }).runId);
    expect(run.steps.at(-1)).toMatchObject({ nodeId: 'sheet', exit: 'success' });
  });
});
