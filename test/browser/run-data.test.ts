import type { Browser, Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { csatToSheetsAndCrm, type Scenario, startScenario } from '../e2e/scenario.ts';
import { closedEvent } from '../stand-ins/chat-platform.ts';
import { builtEditor, launchChromium, screenshot } from './support/browser.ts';
import { type BrowserSession, sessionHooks, signIn, watchedPage } from './support/session.ts';

/**
 * The run detail in Chromium shows what each step sent and received: a real run of the CSAT
 * workflow (driven through the API to keep it fast), its CRM call authenticated by a stored
 * secret, then the operator opens the HTTP and Sheets steps' Sent and Received.
 */

const WAIT_MS = 15_000;
const STEP_MS = 60_000;
const WORKFLOW_ID = 'csat-run-data';
const token = 'crm_live_0a9b8c7d6e5f';

let scenario: Scenario;
let browser: Browser;
let session: BrowserSession;
let page: Page;
let runId = '';

const byTest = (id: string) => page.getByTestId(id);
const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: WAIT_MS, interval: 100 });
const textOf = (locator: Locator) => () => locator.innerText();
const stepOf = (nodeId: string) =>
  byTest('run-detail').locator(`[data-testid="step"][data-node-id="${nodeId}"]`).last();

describe('what each step sent and received, in the run detail', () => {
  beforeAll(async () => {
    const editorDir = builtEditor();
    browser = await launchChromium();
    scenario = await startScenario({ examples: true, editorDir });
    scenario.sheets.addSpreadsheet('1AbC', { CSAT: [['Conversation', 'Contact', 'Agent', 'Rating']] });
    const { product, chat } = scenario;
    const secret = await product.api('POST', '/api/connections', {
      id: 'crm-token',
      type: 'secret',
      name: 'CRM token',
      value: token,
    });
    if (secret.status !== 201) throw new Error(`secret refused: ${JSON.stringify(secret.body)}`);
    const workflow = csatToSheetsAndCrm(scenario.crm.url, (csat) => {
      const crm = csat.nodes.find((node) => node.id === 'crm')!;
      crm.data = {
        ...crm.data,
        headers: [
          { name: 'Content-Type', value: 'application/json' },
          { name: 'Authorization', value: 'Bearer {{secret:crm-token}}' },
        ],
      };
    });
    await scenario.publish({ ...workflow, id: WORKFLOW_ID, name: 'CSAT with step data' });
    const event = closedEvent();
    const { runs } = (await product.platform.sendConversationClosed(event)).body as { runs: string[] };
    runId = runs.find(Boolean) ?? '';
    await chat.nextMessage(event.conversation.id);
    await product.platform.sendReply({ conversationId: event.conversation.id, contactId: event.contact.id, text: '4' });
    expect((await scenario.ended(runId)).status).toBe('completed');

    session = await watchedPage(browser, { width: 1440, height: 900 }, WAIT_MS);
    page = session.page;
  });
  sessionHooks(() => ({ browser, scenario, session }));

  it('opens the HTTP step’s Sent from the keyboard: the request with its secret masked, and the response', {
    timeout: STEP_MS,
  }, async () => {
    await signIn(page, scenario.product);
    await page.goto(`${scenario.product.url}/#/workflows/${WORKFLOW_ID}/runs/${runId}`);
    const step = stepOf('crm');
    await step.waitFor();

    const sent = step.getByTestId('step-sent');
    expect(await sent.locator('summary').innerText()).toContain(`POST ${scenario.crm.url}/api/csat`);
    await sent.locator('summary').focus();
    await page.keyboard.press('Enter');
    await eventually(() => sent.getAttribute('open')).not.toBeNull();
    const request = sent.locator('pre');
    await eventually(textOf(request)).toContain('"Authorization": "Bearer [secret:crm-token]"');
    expect(await request.innerText()).toContain('"rating": 4');

    const received = step.getByTestId('step-received');
    expect(await received.locator('summary').innerText()).toContain('status 201');
    await received.locator('summary').click();
    await eventually(textOf(received.locator('pre'))).toContain('"status": 201');
    expect(await received.locator('pre').innerText()).toContain('"id": "crm-1"');

    expect(await page.locator('body').innerText()).not.toContain(token);
    await step.scrollIntoViewIfNeeded();
    await screenshot(page, 'rundata-01-http-step');
  });

  it('shows the Sheets step’s row as written and Google’s answer', { timeout: STEP_MS }, async () => {
    const step = stepOf('sheet');
    await step.getByTestId('step-sent').locator('summary').click();
    await step.getByTestId('step-received').locator('summary').click();
    const row = step.getByTestId('step-sent').locator('pre');
    await eventually(textOf(row)).toContain('"sheet": "CSAT"');
    expect(await row.innerText()).toContain('"Rating": 4');
    await eventually(textOf(step.getByTestId('step-received').locator('pre'))).toContain(
      '"updatedRange": "CSAT!A2:D2"',
    );
    await step.scrollIntoViewIfNeeded();
    await screenshot(page, 'rundata-02-sheets-step');
  });
});
