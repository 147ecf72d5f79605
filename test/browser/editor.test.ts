import { randomUUID } from 'node:crypto';
import type { RunDetail } from '@convoflow/engine';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Scenario, startScenario } from '../e2e/scenario.ts';
import { closedEvent } from '../stand-ins/chat-platform.ts';
import { type ChatwootStandIn, chatwootSignatureHeaders, startChatwoot } from '../stand-ins/chatwoot.ts';
import { createServiceAccountKey } from '../stand-ins/google-sheets.ts';
import { builtEditor, launchChromium, screenshot } from './support/browser.ts';
import { watchCspViolations } from './support/csp-violations.ts';

/**
 * The operator's path through the built editor in a real Chromium, against the whole product
 * with its outside parties stood in for: open the CSAT example, change it, branch on a low
 * rating, fix a validation error, publish, test it in the simulator, read the run and the
 * dashboard. The steps share one page and run in order; each asserts on what the page shows.
 */

const WAIT_MS = 15_000;
const STEP_MS = 60_000;
const QUESTION = 'How would you rate our support today, $contact.name?';
const APOLOGY = 'Sorry to hear that, $contact.name.';
const THANKS = 'Thanks for your rating, $contact.name!';
const CONTACT = 'Test Contact';

let scenario: Scenario;
let chatwoot: ChatwootStandIn;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
/** What the Content-Security-Policy blocked in any page of the context, step by step. */
let cspViolations: string[] = [];
/** Ids of the nodes this test adds, read from the canvas. */
const added = { branch: '', apology: '', thanks: '' };

const byTest = (id: string) => page.getByTestId(id);
const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: WAIT_MS, interval: 100 });
const textOf = (locator: Locator) => () => locator.innerText();
const classOf = (locator: Locator) => async () => (await locator.getAttribute('class')) ?? '';

/** The ids of the node cards on the canvas. */
async function canvasNodeIds(): Promise<string[]> {
  const testIds = await page
    .locator('.react-flow__node [data-testid^="node-"]:not([data-testid^="node-problem-"])')
    .evaluateAll((elements) => elements.map((element) => element.getAttribute('data-testid') ?? ''));
  return testIds.map((testId) => testId.replace(/^node-/, ''));
}

/** Adds a step of `type` on an exit through its "+" button; returns the new node's id. */
async function addAfter(exitTestId: string, type: string): Promise<string> {
  const before = await canvasNodeIds();
  await fitCanvas();
  await byTest(exitTestId).click();
  await byTest(`add-menu-${type}`).click();
  await eventually(async () => (await canvasNodeIds()).length).toBe(before.length + 1);
  const [id] = (await canvasNodeIds()).filter((candidate) => !before.includes(candidate));
  if (!id) throw new Error(`no new node appeared after ${exitTestId}`);
  await byTest('node-panel').getByText(`id: ${id}`).waitFor();
  return id;
}

/** Brings every node into view, as the operator would with the zoom controls' "fit view". */
async function fitCanvas(): Promise<void> {
  await page.getByRole('button', { name: /fit view/i }).click();
}

async function openNode(id: string): Promise<Locator> {
  await fitCanvas();
  await byTest(`node-${id}`).click();
  const panel = byTest('node-panel');
  await panel.getByText(`id: ${id}`).waitFor();
  return panel;
}

const textbox = (scope: Locator, name: string) => scope.getByRole('textbox', { name, exact: true });

describe('the editor in Chromium', () => {
  beforeAll(async () => {
    const editorDir = builtEditor();
    browser = await launchChromium();
    [scenario, chatwoot] = await Promise.all([startScenario({ examples: true, editorDir }), startChatwoot()]);
    scenario.sheets.addSpreadsheet('1AbC', { CSAT: [['Conversation', 'Contact', 'Agent', 'Rating']] });
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    cspViolations = await watchCspViolations(context);
    page = await context.newPage();
    page.setDefaultTimeout(WAIT_MS);
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterEach(() => {
    // Each step's own violations, so a failure names the step that caused it.
    expect(cspViolations.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    try {
      await browser?.close();
    } finally {
      await Promise.all([scenario?.close(), chatwoot?.close()]);
    }
  });

  it('signs in with the API key and lists the examples', { timeout: STEP_MS }, async () => {
    const response = await page.goto(scenario.product.url);
    // Everything below runs under the policy; a violation fails the step that caused it.
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    // The install's key: the sign-in page offers e-mail and password first.
    await byTest('use-api-key').click();
    await byTest('api-key').fill(scenario.product.apiKey);
    await byTest('sign-in').click();
    await byTest('workflow-list').waitFor();
    const row = byTest('workflow-row-csat-sheets-and-crm');
    await eventually(textOf(row)).toContain('CSAT survey to Google Sheets and CRM');
    for (const id of ['csat-google-sheets', 'csat-crm-http', 'low-score-alert']) {
      await byTest(`workflow-row-${id}`).waitFor();
    }
    await screenshot(page, '01-workflow-list');

    await row.getByRole('link', { name: 'CSAT survey to Google Sheets and CRM' }).click();
    for (const id of ['start', 'ask', 'sheet', 'crm']) await byTest(`node-${id}`).waitFor();
    await screenshot(page, '02-canvas');
  });

  it('changes the question in the side panel, which marks the draft unsaved', { timeout: STEP_MS }, async () => {
    expect(await byTest('save-button').isDisabled()).toBe(true);
    const panel = await openNode('ask');
    const question = textbox(panel, 'Question');
    expect(await question.inputValue()).toBe('How satisfied are you with this experience?');
    await question.fill(QUESTION);
    await byTest('dirty-marker').waitFor();
    await eventually(() => byTest('save-button').isEnabled()).toBe(true);
    await eventually(textOf(byTest('node-ask'))).toContain('How would you rate our support today');
    await screenshot(page, '03-node-panel');
  });

  it('opens a step from the keyboard: Enter on the focused step', { timeout: STEP_MS }, async () => {
    await page.locator('.react-flow__node[data-id="crm"]').focus();
    await page.keyboard.press('Enter');
    await byTest('node-panel').getByText('id: crm').waitFor();
  });

  it('points the HTTP step at the CRM stand-in', { timeout: STEP_MS }, async () => {
    const panel = await openNode('crm');
    const url = textbox(panel, 'URL');
    await url.fill(`${scenario.crm.url}/api/csat`);
    expect(await url.inputValue()).toBe(`${scenario.crm.url}/api/csat`);
  });

  it('adds a Google connection from the Sheets step: a key that is not JSON is named, a good one is chosen', {
    timeout: STEP_MS,
  }, async () => {
    const panel = await openNode('sheet');
    const connection = panel.getByRole('combobox', { name: /^Google connection/ });
    await eventually(() => connection.inputValue()).toBe('google');
    await panel.getByTestId('add-connection').click();
    const dialog = page.getByRole('dialog', { name: 'Add a Google connection' });
    await dialog.getByLabel('Id').fill('google-second');
    await dialog.getByLabel('Name').fill('Second Google account');
    const key = dialog.getByLabel('Service-account key (JSON)');
    await key.fill('{"type": "service_account", "client_email": ');
    await dialog.getByRole('button', { name: 'Save connection' }).click();
    await eventually(textOf(dialog.getByRole('alert'))).toContain('not valid JSON');

    const second = createServiceAccountKey('second');
    await key.fill(JSON.stringify(second));
    await dialog.getByLabel('API endpoint (optional)').fill(scenario.sheets.url);
    await screenshot(page, '04a-add-connection');
    await dialog.getByRole('button', { name: 'Save connection' }).click();
    await dialog.waitFor({ state: 'detached' });
    await eventually(() => connection.inputValue()).toBe('google-second');
    await eventually(textOf(panel)).toContain(second.client_email);

    // The rest of the walk writes through the connection the Sheets stand-in knows.
    await connection.selectOption('google');
    const stored = await scenario.product.api('GET', '/api/connections');
    expect(JSON.stringify(stored.body)).not.toContain('PRIVATE KEY');
  });

  it('adds a Branch on $rating <= 2 after the CRM step, with a message on each exit', {
    timeout: STEP_MS,
  }, async () => {
    added.branch = await addAfter('add-after-crm-success', 'branch');
    const panel = byTest('node-panel');
    const branchRow = panel.getByTestId('row-branches-0');
    await textbox(branchRow, 'Branch id').fill('low');
    const condition = panel.getByTestId('row-branches.0.when-0');
    await textbox(condition, 'Variable').fill('$rating');
    await condition.getByRole('combobox', { name: 'Operator', exact: true }).selectOption('lte');
    await textbox(condition, 'Value').fill('2');
    await byTest(`add-after-${added.branch}-low`).waitFor();

    added.apology = await addAfter(`add-after-${added.branch}-low`, 'sendMessage');
    await textbox(byTest('node-panel'), 'Message').fill(APOLOGY);
    added.thanks = await addAfter(`add-after-${added.branch}-else`, 'sendMessage');
    await textbox(byTest('node-panel'), 'Message').fill(THANKS);

    await eventually(textOf(byTest(`node-${added.apology}`))).toContain('Sorry to hear that');
    await eventually(textOf(byTest('problems'))).toContain('No problems');
    await fitCanvas();
    await screenshot(page, '04-branch-added');
  });

  it('shows a validation error on the node and in the problems list, and refuses to publish', {
    timeout: STEP_MS,
  }, async () => {
    const panel = await openNode(added.apology);
    await textbox(panel, 'Message').fill('Sorry to hear that, $nope.');

    await byTest(`node-problem-${added.apology}`).waitFor();
    const problem = byTest('problems').locator(`[data-testid="problem"][data-node-id="${added.apology}"]`);
    await eventually(textOf(problem)).toContain('$nope');
    await screenshot(page, '05-problems');

    await byTest('publish-button').click();
    await byTest('publish-dialog').getByRole('button', { name: 'Publish' }).click();
    const notice = byTest('notice');
    await eventually(textOf(notice)).toContain('Publish refused');
    await eventually(textOf(byTest('workflow-status'))).toContain('Draft');
    await eventually(textOf(problem)).toContain('is not set by any step');
    await screenshot(page, '06-publish-refused');

    await textbox(byTest('node-panel'), 'Message').fill(APOLOGY);
    await eventually(textOf(byTest('problems'))).toContain('No problems');
    expect(await byTest('problem').count()).toBe(0);
    expect(await byTest(`node-problem-${added.apology}`).count()).toBe(0);
  });

  it('publishes', { timeout: STEP_MS }, async () => {
    await byTest('publish-button').click();
    await byTest('publish-dialog').getByRole('button', { name: 'Publish' }).click();
    await eventually(textOf(byTest('workflow-status'))).toMatch(/v\d+ live/);
    await eventually(textOf(byTest('notice'))).toContain('Published version');
    await byTest('notice').getByRole('button', { name: 'Dismiss message' }).click();
    await byTest('notice').waitFor({ state: 'detached' });
    expect(await byTest('dirty-marker').count()).toBe(0);
    expect(await byTest('save-button').isDisabled()).toBe(true);
  });

  it("refuses to save over a colleague's save, and Reload theirs shows their change", {
    timeout: STEP_MS,
  }, async () => {
    const id = 'csat-sheets-and-crm';
    const theirName = 'CSAT survey, as Grace saved it';
    const current = await scenario.product.api('GET', `/api/workflows/${id}`);
    // Grace saves from another browser: the page still holds the revision it loaded.
    const theirs = await fetch(`${scenario.product.url}/api/workflows/${id}`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${scenario.product.apiKey}`,
        'content-type': 'application/json',
        'x-editor-name': 'Grace',
      },
      body: JSON.stringify({ ...(current.body as object), name: theirName }),
    });
    expect(theirs.status).toBe(200);

    await byTest('workflow-name').fill('CSAT survey, as I edited it');
    await byTest('save-button').click();
    const dialog = byTest('conflict-dialog');
    await eventually(textOf(dialog)).toMatch(/Someone else saved this workflow \(Grace at .+\) since you opened it/);
    await screenshot(page, '22-conflict-dialog');

    await dialog.getByRole('button', { name: 'Reload theirs' }).click();
    await dialog.waitFor({ state: 'detached' });
    await eventually(() => byTest('workflow-name').inputValue()).toBe(theirName);
    expect(await byTest('dirty-marker').count()).toBe(0);
    expect(await byTest('save-button').isDisabled()).toBe(true);
  });

  it("asks before the browser's Back leaves unsaved edits, and Stay keeps them", { timeout: STEP_MS }, async () => {
    const editorUrl = page.url();
    const name = byTest('workflow-name');
    const saved = await name.inputValue();
    await name.fill(`${saved} (unsaved)`);
    await byTest('dirty-marker').waitFor();

    await page.goBack();
    const dialog = byTest('leave-dialog');
    await eventually(textOf(dialog)).toContain('Leave without saving?');
    expect(page.url()).toBe(editorUrl);
    await screenshot(page, '23-leave-dialog');

    await dialog.getByRole('button', { name: 'Stay' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await name.inputValue()).toBe(`${saved} (unsaved)`);
    await byTest('dirty-marker').waitFor();

    // The rest of the walk starts from the saved draft.
    await name.fill(saved);
    await byTest('save-button').click();
    await eventually(() => byTest('dirty-marker').count()).toBe(0);
    await byTest('notice').getByRole('button', { name: 'Dismiss message' }).click();
  });

  it('runs the draft in the simulator with 2 stars and highlights the path taken', { timeout: STEP_MS }, async () => {
    await byTest('simulator-button').click();
    const simulator = byTest('simulator');
    await simulator.getByRole('radio', { name: 'Conversation closed' }).check();
    await simulator.getByRole('button', { name: 'Start', exact: true }).click();

    const transcript = byTest('sim-transcript');
    const question = transcript.locator('[data-testid="transcript-message"][data-from="bot"]').first();
    await eventually(textOf(question)).toContain(`How would you rate our support today, ${CONTACT}?`);
    await byTest('sim-answer-2').click();

    await page.locator('[data-testid="sim-status"][data-status="completed"]').waitFor();
    await eventually(textOf(transcript)).toContain(`Sorry to hear that, ${CONTACT}.`);
    expect(await transcript.innerText()).not.toContain('Thanks for your rating');

    for (const id of ['start', 'ask', 'sheet', 'crm', added.branch, added.apology]) {
      await eventually(classOf(byTest(`node-${id}`))).toContain('node-card--lit');
    }
    expect(await classOf(byTest(`node-${added.thanks}`))()).not.toContain('node-card--lit');
    await fitCanvas();
    await screenshot(page, '07-simulator-path');

    // The simulator ran the saved draft through the real runtime: the outside parties got it.
    const posted = scenario.crm.received.map((request) => request.body);
    expect(posted).toContainEqual(expect.objectContaining({ rating: 2 }));
    expect(scenario.sheets.rows('1AbC', 'CSAT')).toEqual([
      ['Conversation', 'Contact', 'Agent', 'Rating'],
      [expect.stringMatching(/^sim-/), CONTACT, 'Alex Agent', 2],
    ]);
  });

  it('lists the run and shows its step log', { timeout: STEP_MS }, async () => {
    await byTest('tab-runs').click();
    const row = byTest('run-row').first();
    await row.waitFor();
    await screenshot(page, '08-runs');

    await row.click();
    const detail = byTest('run-detail');
    await detail.waitFor();
    for (const id of ['start', 'ask', 'sheet', 'crm', added.branch, added.apology]) {
      // The question step logs twice: paused for the answer, then left by "answered".
      await detail.locator(`[data-testid="step"][data-node-id="${id}"]`).first().waitFor();
    }
    const askExits = detail.locator('[data-testid="step"][data-node-id="ask"] [data-testid="step-exit"]');
    await eventually(textOf(askExits.last())).toContain('answered');
    const branchStep = detail.locator(`[data-testid="step"][data-node-id="${added.branch}"]`);
    await eventually(textOf(branchStep.getByTestId('step-exit'))).toContain('low');
    expect(await detail.locator(`[data-testid="step"][data-node-id="${added.thanks}"]`).count()).toBe(0);
    await screenshot(page, '09-run-detail');
  });

  it('shows a run whose CRM step failed as completed with failures, finds it by outcome and names the step', {
    timeout: STEP_MS,
  }, async () => {
    // A 400 is not retried: the HTTP step leaves by its failure exit, which leads nowhere, and the run ends.
    scenario.crm.failNext(1, 400);
    await byTest('tab-design').click();
    await byTest('simulator-button').click();
    const simulator = byTest('simulator');
    await simulator.getByRole('radio', { name: 'Conversation closed' }).check();
    await simulator.getByRole('button', { name: 'Start', exact: true }).click();
    await byTest('sim-answer-4').click();
    const status = page.locator('[data-testid="sim-status"][data-status="completed"]');
    await status.waitFor();
    await eventually(textOf(status)).toContain('Completed with failures');
    expect(await status.innerText()).toMatch(
      /The run ended, but step HTTP request \(crm\) left by failure: .*HTTP 400/,
    );

    await byTest('tab-runs').click();
    const newest = byTest('run-row').first();
    await eventually(textOf(newest.getByTestId('run-status'))).toBe('Completed with failures');
    await byTest('runs-filter-outcome').selectOption('completed_with_failures');
    await eventually(() => byTest('run-row').count()).toBe(1);
    expect(await byTest('runs-range').innerText()).toBe('1–1 of 1');
    // The filter is in the address: a reload opens the list still filtered.
    expect(page.url()).toContain('/runs?outcome=completed_with_failures');
    await page.reload();
    await eventually(() => byTest('runs-filter-outcome').inputValue()).toBe('completed_with_failures');
    await eventually(() => byTest('run-row').count()).toBe(1);
    await screenshot(page, '20-runs-failures');

    await byTest('run-row').first().click();
    const detail = byTest('run-detail');
    await eventually(textOf(detail.getByTestId('run-status'))).toBe('Completed with failures');
    const failed = detail.getByTestId('run-failed-step');
    await eventually(() => failed.getAttribute('data-node-id')).toBe('crm');
    expect(await failed.innerText()).toContain('HTTP 400');
    await screenshot(page, '21-run-failed-step');
  });

  it('shows the CSAT dashboard with the published workflow’s real answer', { timeout: STEP_MS }, async () => {
    // Simulator runs do not count: answer the published version as a real contact would.
    const event = closedEvent();
    const accepted = await scenario.product.platform.sendConversationClosed(event);
    expect(accepted.status).toBe(202);
    const [runId] = (accepted.body as { runs: string[] }).runs;
    const asked = await scenario.chat.nextMessage(event.conversation.id);
    expect(asked.text).toBe(`How would you rate our support today, ${event.contact.name}?`);
    await scenario.product.platform.sendReply({
      conversationId: event.conversation.id,
      contactId: event.contact.id,
      text: '4',
    });
    const run: RunDetail = await scenario.ended(String(runId));
    expect(run.status).toBe('completed');

    await byTest('tab-dashboard').click();
    await byTest('csat-dashboard').waitFor();
    // 100%, not 50%: the simulator's 2-star answer is left out of the report.
    await eventually(textOf(byTest('csat-score'))).toContain('100.0%');
    await screenshot(page, '10-dashboard');
  });

  it('shows the API reference at /docs under the same policy', { timeout: STEP_MS }, async () => {
    const docs = await context.newPage();
    docs.on('pageerror', (error) => pageErrors.push(error.message));
    try {
      const response = await docs.goto(`${scenario.product.url}/docs`);
      expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
      const listWorkflows = docs.locator('.opblock').filter({ hasText: 'List workflows' });
      await listWorkflows.waitFor();
      expect(await docs.locator('.opblock').count()).toBeGreaterThan(10);
      await screenshot(docs, '11-api-docs');
    } finally {
      await docs.close();
    }
  });

  it('refuses to be shown in a frame', { timeout: STEP_MS }, async () => {
    // A context of its own: the refusal is itself reported as a violation, in the framing page.
    const framing = await browser.newContext();
    try {
      const host = await framing.newPage();
      await host.setContent(`<iframe src="${scenario.product.url}/"></iframe>`);
      const frame = host.frames()[1];
      if (!frame) throw new Error('the iframe did not appear');
      await frame.waitForLoadState();
      expect(await frame.locator('#root').count()).toBe(0);
    } finally {
      await framing.close();
    }
  });

  it('connects Chatwoot from the Channels screen: names wrong fields, shows the URLs to paste, checks the connection', {
    timeout: STEP_MS,
  }, async () => {
    await page.getByRole('link', { name: 'Back to workflows' }).click();
    await byTest('nav-channels').click();
    await page.getByRole('heading', { name: 'Channels' }).waitFor();

    await byTest('add-channel').click();
    const picker = page.getByRole('dialog', { name: 'Add a channel' });
    for (const label of ['Chatwoot', 'WhatsApp Cloud API']) await picker.getByRole('radio', { name: label }).waitFor();
    await picker.getByRole('radio', { name: /Chatwoot/ }).check();
    await screenshot(page, '12-channels-pick');
    await picker.getByRole('button', { name: 'Continue' }).click();

    const dialog = page.getByRole('dialog', { name: 'Add a Chatwoot connection' });
    const alerts = () => dialog.getByRole('alert').allInnerTexts();
    await dialog.getByLabel('Name', { exact: true }).fill('Support Chatwoot');
    await dialog.getByLabel(/^Chatwoot URL/).fill('chatwoot.example');
    await dialog.getByRole('button', { name: 'Save connection' }).click();
    await eventually(alerts).toContainEqual(
      expect.stringMatching(/^Chatwoot URL: enter the address .*; Account id: required; API access token: paste/),
    );
    await screenshot(page, '13-channels-form-errors');

    // The server's refusal shows in the dialog too: the id is the Google connection's.
    await dialog.getByLabel(/^Chatwoot URL/).fill(chatwoot.url);
    await dialog.getByLabel(/^Account id/).fill(String(chatwoot.accountId));
    await dialog.getByLabel(/^API access token/).fill(chatwoot.apiAccessToken);
    await dialog.getByLabel('Id', { exact: true }).fill('google');
    await dialog.getByRole('button', { name: 'Save connection' }).click();
    await eventually(alerts).toContainEqual(expect.stringContaining('google'));
    expect(await dialog.getByLabel(/^API access token/).getAttribute('type')).toBe('password');
    await dialog.getByLabel('Id', { exact: true }).fill('support-chatwoot');
    await screenshot(page, '14-channels-form');
    await dialog.getByRole('button', { name: 'Save connection' }).click();
    await dialog.waitFor({ state: 'detached' });

    const card = page.getByRole('article', { name: 'Support Chatwoot' });
    await eventually(textOf(card)).toContain('paste the URLs below into Chatwoot');
    const stored = await scenario.product.api('GET', '/api/connections/support-chatwoot');
    expect(JSON.stringify(stored.body)).not.toContain(chatwoot.apiAccessToken);
    const { endpoints } = stored.body as { endpoints: { url: string }[] };
    const webhookPath = endpoints[0]?.url ?? '';
    expect(webhookPath).toMatch(/^\/api\/channels\/chatwoot\/support-chatwoot\/webhook\?token=[\w-]{20,}$/);
    const webhookUrl = `${scenario.product.url}${webhookPath}`;
    expect(await card.getByTestId('channel-endpoint-url').allInnerTexts()).toContain(webhookUrl);

    // The URL shown is the one the server takes Chatwoot's calls at.
    chatwoot.setWebhookUrl(webhookUrl);
    const delivery = await chatwoot.incomingMessage(10, 'Hello');
    expect(delivery.status).toBeLessThan(300);

    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: scenario.product.url });
    await card.getByRole('button', { name: /^Copy the URL: Chatwoot → Settings → Integrations → Webhooks/ }).click();
    await eventually(() => page.evaluate(() => navigator.clipboard.readText())).toBe(webhookUrl);

    await card.getByRole('button', { name: 'Check connection' }).click();
    await eventually(textOf(card.getByRole('status').last())).toBe(
      `Signed in to account ${chatwoot.accountId}; 3 inboxes: Website, WhatsApp, Support e-mail.`,
    );
    await screenshot(page, '15-channel-connected');

    chatwoot.failNext(1, 401);
    await card.getByRole('button', { name: 'Check connection' }).click();
    await eventually(textOf(card.getByRole('alert'))).toContain('Chatwoot refused the API access token (HTTP 401');
    await screenshot(page, '16-channel-check-refused');
  });

  it('adds the webhook secret Chatwoot shows once the webhook is made, keeping the URLs it has', {
    timeout: STEP_MS,
  }, async () => {
    const secret = `whsec_${randomUUID()}`;
    const card = page.getByRole('article', { name: 'Support Chatwoot' });
    const urls = card.getByTestId('channel-endpoint-url');
    const urlsBefore = await urls.allInnerTexts();

    await card.getByRole('button', { name: 'Edit Support Chatwoot' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit the Chatwoot connection' });
    expect(await dialog.getByLabel('Name', { exact: true }).inputValue()).toBe('Support Chatwoot');
    expect(await dialog.getByLabel('Id', { exact: true }).inputValue()).toBe('support-chatwoot');
    expect(await dialog.getByLabel('Id', { exact: true }).isEditable()).toBe(false);
    expect(await dialog.getByLabel(/^Chatwoot URL/).inputValue()).toBe(chatwoot.url);
    expect(await dialog.getByLabel(/^API access token/).inputValue()).toBe('');
    expect(await dialog.getByTestId('secret-apiAccessToken').innerText()).toContain('Set — leave empty to keep');
    expect(await dialog.getByTestId('secret-webhookSecret').innerText()).toContain('Not set');
    await dialog.getByLabel(/^Webhook secret/).fill(secret);
    await dialog.getByRole('button', { name: 'Save connection' }).click();
    await dialog.waitFor({ state: 'detached' });

    await eventually(textOf(card)).toContain('API access token, Webhook secret');
    expect(await urls.allInnerTexts()).toEqual(urlsBefore);
    // The last check's refusal was about the token before; the saved card no longer shows it.
    expect(await card.getByRole('alert').count()).toBe(0);
    await screenshot(page, '17-channel-edit');

    // The server holds the secret typed and still the token left empty: an unsigned call is refused
    // now, the same call signed with the secret is taken, and the check still signs in.
    const [webhookUrl = ''] = urlsBefore;
    const unsigned = await chatwoot.incomingMessage(10, 'Hello again');
    expect(unsigned.status).toBe(401);
    const signed = await fetch(webhookUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-chatwoot-delivery': randomUUID(),
        ...chatwootSignatureHeaders(secret, unsigned.rawBody),
      },
      body: unsigned.rawBody,
    });
    expect(signed.status).toBeLessThan(300);
    await card.getByRole('button', { name: 'Check connection' }).click();
    await eventually(textOf(card.getByRole('status').last())).toContain(`Signed in to account ${chatwoot.accountId}`);
  });

  it('threw no uncaught error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
