import type { Browser, Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Scenario, startScenario } from '../e2e/scenario.ts';
import { builtEditor, launchChromium, screenshot } from './support/browser.ts';
import { answeredRun } from './support/runs.ts';
import { type BrowserSession, sessionHooks, watchedPage } from './support/session.ts';

/**
 * A team at work: a new workflow from the template gallery, a step renamed (card, run log and
 * versions show the name), a sticky note on the canvas, two versions published with notes, and
 * the versions dialog saying who published what and what changed.
 */

const WAIT_MS = 15_000;
const STEP_MS = 60_000;
const TEMPLATE = 'csat-google-sheets';
const EDITOR = 'Ada Lovelace';

let scenario: Scenario;
let browser: Browser;
let session: BrowserSession;
let page: Page;
let workflowId = '';

const byTest = (id: string) => page.getByTestId(id);
const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: WAIT_MS, interval: 100 });
const textOf = (locator: Locator) => () => locator.innerText();

async function fitCanvas(): Promise<void> {
  await page.getByRole('button', { name: /fit view/i }).click();
}

async function nameStep(id: string, name: string): Promise<void> {
  await fitCanvas();
  await byTest(`node-${id}`).click();
  await byTest('node-panel').getByText(`id: ${id}`).waitFor();
  await byTest('step-name').fill(name);
}

async function publish(note: string): Promise<void> {
  await byTest('publish-button').click();
  await byTest('publish-note').fill(note);
  await byTest('publish-dialog').getByRole('button', { name: 'Publish' }).click();
  await eventually(textOf(byTest('notice'))).toContain('Published version');
}

describe('a team editing together', () => {
  beforeAll(async () => {
    const editorDir = builtEditor();
    browser = await launchChromium();
    scenario = await startScenario({ examples: true, editorDir });
    session = await watchedPage(browser, { width: 1440, height: 900 }, WAIT_MS);
    page = session.page;
  });

  sessionHooks(() => ({ browser, scenario, session }));

  it('creates a workflow from a template in the gallery, as a copy', { timeout: STEP_MS }, async () => {
    await page.goto(scenario.product.url);
    await byTest('use-api-key').click();
    await byTest('api-key').fill(scenario.product.apiKey);
    await byTest('editor-name').fill(EDITOR);
    await byTest('sign-in').click();
    await byTest('workflow-list').waitFor();

    await byTest('create-workflow').click();
    const gallery = byTest('template-gallery');
    const option = gallery.getByTestId(`template-${TEMPLATE}`);
    await option.getByRole('img').waitFor();
    expect(await option.innerText()).toContain('adds a row to a Google Sheet');
    expect(await option.locator('rect').count()).toBe(4);
    await option.click();
    await screenshot(page, 'team-01-gallery');
    await byTest('create-dialog').getByRole('button', { name: 'Create' }).click();

    await byTest('node-ask').waitFor();
    workflowId = decodeURIComponent(new URL(page.url()).hash.split('/')[2] ?? '');
    expect(workflowId).not.toBe(TEMPLATE);
    expect(await byTest('workflow-name').inputValue()).toBe('CSAT survey to Google Sheets (copy)');
  });

  it('names a step, shown as the card title, and puts a sticky note on the canvas', { timeout: STEP_MS }, async () => {
    await nameStep('ask', 'Ask for a rating');
    await eventually(textOf(byTest('step-title-ask'))).toContain('Ask for a rating');
    await page.getByRole('button', { name: 'Close panel' }).click();

    await byTest('add-note').click();
    const note = page.locator('[data-testid^="sticky-"] textarea');
    await note.waitFor();
    await note.fill('Check the wording with the legal team before publishing changes.');
    await byTest('save-button').click();
    await eventually(textOf(byTest('save-button'))).toBe('Saved');
    await screenshot(page, 'team-02-label-and-note');

    // Saved with the draft: a reload shows the name and the note again.
    await page.reload();
    await eventually(textOf(byTest('step-title-ask'))).toContain('Ask for a rating');
    expect(await page.locator('[data-testid^="sticky-"] textarea').inputValue()).toContain('legal team');
  });

  it('publishes two versions with notes; Versions says who, when and what changed', { timeout: STEP_MS }, async () => {
    await publish('First cut');
    await nameStep('thanks', 'Say thanks');
    await fitCanvas();
    await byTest('add-after-sheet-success').click();
    await byTest('add-menu-sendMessage').click();
    await byTest('node-panel').getByText('id: sendMessage').waitFor();
    await byTest('node-panel').getByRole('textbox', { name: 'Message', exact: true }).fill('Noted, thank you!');
    await publish('Named the thank-you step, a message after the sheet');

    await byTest('versions-button').click();
    const latest = byTest('version-2');
    await eventually(textOf(latest)).toContain('Named the thank-you step');
    expect(await latest.innerText()).toContain(`by ${EDITOR}`);
    const changes = await latest.getByTestId('version-changes').innerText();
    expect(changes).toContain('Added: Send message (sendMessage)');
    expect(changes).toContain('Changed: Say thanks (thanks): name');
    expect(changes).toContain('1 connection added');
    expect(await byTest('version-1').innerText()).toContain('First cut');
    await screenshot(page, 'team-03-version-diff');
    await byTest('versions-dialog').getByRole('button', { name: 'Close' }).click();
  });

  it("shows the steps' names in a run's log", { timeout: STEP_MS }, async () => {
    const runId = await answeredRun(scenario, '5');
    await scenario.ended(runId);
    await page.goto(`${scenario.product.url}/#/workflows/${encodeURIComponent(workflowId)}/runs/${runId}`);
    const names = byTest('step-timeline').getByTestId('step-name');
    await eventually(() => names.allInnerTexts()).toEqual(expect.arrayContaining(['Ask for a rating', 'Say thanks']));
  });
});
