import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { csatToSheetsAndCrm, type Scenario, startScenario } from '../e2e/scenario.ts';
import { builtEditor, launchChromium, screenshot } from './support/browser.ts';
import { watchCspViolations } from './support/csp-violations.ts';
import { answeredRun } from './support/runs.ts';

/**
 * Retrying failed runs in Chromium: Google refuses the Sheets step of three CSAT runs (driven
 * through the API to keep it fast); once the stand-in answers again, the operator retries one
 * run from its detail, then the other two at once from the runs list filtered by the step.
 */

const WAIT_MS = 15_000;
const STEP_MS = 60_000;
const WORKFLOW_ID = 'csat-retry';
const HEADERS = ['Conversation', 'Contact', 'Agent', 'Rating'];

let scenario: Scenario;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let runIds: string[] = [];
let cspViolations: string[] = [];

const byTest = (id: string) => page.getByTestId(id);
const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: WAIT_MS, interval: 100 });
const dataRows = () => scenario.sheets.rows('1AbC', 'CSAT').length - 1;

/** A CSAT run answered with `rating`, ended with its Sheets step failed (Google refuses it). */
async function failedRun(rating: string): Promise<string> {
  const runId = await answeredRun(scenario, rating);
  expect(await scenario.ended(runId)).toMatchObject({ outcome: 'completed_with_failures', failedSteps: ['sheet'] });
  return runId;
}

describe('retrying failed runs from the editor', () => {
  beforeAll(async () => {
    const editorDir = builtEditor();
    browser = await launchChromium();
    scenario = await startScenario({ editorDir });
    scenario.sheets.addSpreadsheet('1AbC', { CSAT: [HEADERS] });
    await scenario.publish({ ...csatToSheetsAndCrm(scenario.crm.url), id: WORKFLOW_ID, name: 'CSAT to Sheets' });
    // The service account lost access to the sheet: Google answers 403 to each run's first read.
    scenario.sheets.failNext(403, 3);
    runIds = [await failedRun('5'), await failedRun('4'), await failedRun('2')];

    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    cspViolations = await watchCspViolations(context);
    page = await context.newPage();
    page.setDefaultTimeout(WAIT_MS);
  });

  afterEach(() => {
    expect(cspViolations.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    try {
      await browser?.close();
    } finally {
      await scenario?.close();
    }
  });

  it('retries one run from its detail once Google answers again, and shows the retried attempt', {
    timeout: STEP_MS,
  }, async () => {
    await page.goto(scenario.product.url);
    await byTest('use-api-key').click();
    await byTest('editor-name').fill('Ana on call');
    await byTest('api-key').fill(scenario.product.apiKey);
    await byTest('sign-in').click();
    await byTest('workflow-list').waitFor();
    await page.goto(`${scenario.product.url}/#/workflows/${WORKFLOW_ID}/runs/${runIds[0]}`);
    const detail = byTest('run-detail');
    const retry = detail.getByRole('button', { name: 'Retry from Google Sheets: add row' });
    await retry.waitFor();
    expect(await detail.getByTestId('run-status').innerText()).toBe('Completed with failures');
    await screenshot(page, 'retry-01-failed-run');

    await retry.click();
    await detail.getByRole('button', { name: 'Yes, retry' }).click();
    await eventually(() => detail.getByTestId('run-status').innerText()).toBe('Completed');
    const divider = detail.getByTestId('step-retried');
    expect(await divider.innerText()).toMatch(/^Retried from Google Sheets: add row \(sheet\) by Ana on call, /);
    expect(await detail.getByTestId('run-retry').count()).toBe(0);
    expect(dataRows()).toBe(1);
    await divider.scrollIntoViewIfNeeded();
    await screenshot(page, 'retry-02-retried-run');
  });

  it('retries the other failed runs of the step from the runs list, naming how many first', {
    timeout: STEP_MS,
  }, async () => {
    await page.goto(`${scenario.product.url}/#/workflows/${WORKFLOW_ID}/runs`);
    await byTest('runs-filter-step').selectOption('sheet');
    const open = page.getByRole('button', { name: 'Retry all 2 failed runs of this step' });
    await open.click();
    expect(await byTest('bulk-retry').innerText()).toContain('Retry all 2 failed runs of');
    expect(await byTest('run-row').count()).toBe(2);
    await screenshot(page, 'retry-03-bulk');
    await page.getByRole('button', { name: 'Yes, retry all 2' }).click();
    await eventually(() => byTest('bulk-retry-result').innerText()).toContain('Retried 2 runs: running again');
    await eventually(dataRows).toBe(3);
    await eventually(() => byTest('runs-empty').count()).toBe(1);
    await screenshot(page, 'retry-04-bulk-done');
    for (const runId of runIds) expect((await scenario.ended(runId)).outcome).toBe('completed');
  });
});
