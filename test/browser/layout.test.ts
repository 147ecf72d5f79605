import type { Browser, Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { csatToSheetsAndCrm, type Scenario, startScenario } from '../e2e/scenario.ts';
import { seriousViolations } from './support/axe.ts';
import { builtEditor, launchChromium, screenshot } from './support/browser.ts';
import { answeredRun } from './support/runs.ts';
import { type BrowserSession, sessionHooks, signIn, watchedPage } from './support/session.ts';

/**
 * The editor on a 1024×700 screen, by mouse and keyboard: every toolbar action reachable
 * without sideways scrolling, the "+" menu inside the canvas near its edges, new steps in view
 * and on free ground, the command palette (Ctrl+K), a rename from the list that meets a
 * colleague's save, and axe-core's check of the list, canvas, run detail and dashboard.
 */

const WAIT_MS = 15_000;
const STEP_MS = 60_000;
const CSAT = 'csat-sheets-and-crm';
const RUN_WORKFLOW = 'csat-layout-run';

let scenario: Scenario;
let browser: Browser;
let session: BrowserSession;
let page: Page;
let runId = '';

const byTest = (id: string) => page.getByTestId(id);
const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: WAIT_MS, interval: 100 });

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

async function boxOf(locator: Locator): Promise<Box> {
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${locator} has no box: it is not shown`);
  return box;
}

const inside = (inner: Box, outer: Box) =>
  inner.x >= outer.x &&
  inner.y >= outer.y &&
  inner.x + inner.width <= outer.x + outer.width &&
  inner.y + inner.height <= outer.y + outer.height;

const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The steps on the canvas with their boxes on screen. */
async function stepBoxes(): Promise<{ id: string; box: Box }[]> {
  return page.locator('.react-flow__node').evaluateAll((elements) =>
    elements.map((element) => {
      const { x, y, width, height } = element.getBoundingClientRect();
      return { id: element.getAttribute('data-id') ?? '', box: { x, y, width, height } };
    }),
  );
}

/** The pairs of steps that cover each other, by id. */
async function overlapping(): Promise<string[]> {
  const steps = await stepBoxes();
  return steps.flatMap((a, i) =>
    steps.slice(i + 1).flatMap((b) => (overlaps(a.box, b.box) ? [`${a.id}/${b.id}`] : [])),
  );
}

/** Waits for one new step after `act`, and returns its id. */
async function newStepAfter(act: () => Promise<void>): Promise<string> {
  const before = (await stepBoxes()).map((step) => step.id);
  await act();
  await eventually(async () => (await stepBoxes()).length).toBe(before.length + 1);
  const id = (await stepBoxes()).map((step) => step.id).find((candidate) => !before.includes(candidate));
  if (!id) throw new Error('no new step appeared');
  return id;
}

/** The step is wholly inside the visible canvas (waiting out the pan that brings it there). */
async function expectInView(id: string): Promise<void> {
  const canvas = page.locator('.react-flow');
  const step = page.locator(`.react-flow__node[data-id="${id}"]`);
  await eventually(async () => inside(await boxOf(step), await boxOf(canvas))).toBe(true);
}

async function expectNoSidewaysScroll(): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
}

/** Drags the empty canvas so that the point `from` on screen ends up at `to`. */
async function panCanvas(from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  const canvas = await boxOf(page.locator('.react-flow'));
  // A point of bare canvas to grab: the pane, not a step or a control.
  const grab = await page.evaluate((area) => {
    for (let y = area.y + 20; y < area.y + area.height - 20; y += 20) {
      for (let x = area.x + 20; x < area.x + area.width - 20; x += 20) {
        if (document.elementFromPoint(x, y)?.classList.contains('react-flow__pane')) return { x, y };
      }
    }
    return null;
  }, canvas);
  if (!grab) throw new Error('no bare canvas to grab');
  await page.mouse.move(grab.x, grab.y);
  await page.mouse.down();
  await page.mouse.move(grab.x + (to.x - from.x) / 2, grab.y + (to.y - from.y) / 2, { steps: 5 });
  await page.mouse.move(grab.x + to.x - from.x, grab.y + to.y - from.y, { steps: 5 });
  await page.mouse.up();
}

async function openPalette(query: string): Promise<Locator> {
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await palette.getByRole('combobox').fill(query);
  return palette;
}

async function expectAccessible(): Promise<void> {
  expect(await seriousViolations(page)).toEqual([]);
}

describe('the editor on a 1024×700 screen', () => {
  beforeAll(async () => {
    const editorDir = builtEditor();
    browser = await launchChromium();
    scenario = await startScenario({ examples: true, editorDir });
    scenario.sheets.addSpreadsheet('1AbC', { CSAT: [['Conversation', 'Contact', 'Agent', 'Rating']] });
    await scenario.publish({ ...csatToSheetsAndCrm(scenario.crm.url), id: RUN_WORKFLOW, name: 'CSAT with a run' });
    runId = await answeredRun(scenario, '4');
    await scenario.ended(runId);
    session = await watchedPage(browser, { width: 1024, height: 700 }, WAIT_MS);
    page = session.page;
  });

  sessionHooks(() => ({ browser, scenario, session }));

  it('lists the workflows with no serious accessibility violations', { timeout: STEP_MS }, async () => {
    await page.goto(scenario.product.url);
    await expectAccessible();
    await signIn(page, scenario.product);
    await byTest(`workflow-row-${CSAT}`).waitFor();
    await expectNoSidewaysScroll();
    await expectAccessible();
  });

  it('shows Save and Publish without sideways scrolling, the rest under More', { timeout: STEP_MS }, async () => {
    await page.goto(`${scenario.product.url}/#/workflows/${CSAT}`);
    for (const id of ['start', 'ask', 'sheet', 'crm']) await byTest(`node-${id}`).waitFor();
    await expectNoSidewaysScroll();
    const viewport = { x: 0, y: 0, width: 1024, height: 700 };
    for (const action of [
      'save-button',
      'publish-button',
      'simulator-button',
      'more-actions',
      'command-palette-button',
    ]) {
      expect(inside(await boxOf(byTest(action)), viewport), action).toBe(true);
    }
    await byTest('publish-button').click({ trial: true });
    await byTest('more-actions').click();
    const more = page.getByRole('menu', { name: 'More' });
    for (const name of ['Tidy up', 'Settings', 'Versions', 'Export']) {
      expect(inside(await boxOf(more.getByRole('menuitem', { name })), viewport), name).toBe(true);
    }
    await page.keyboard.press('Escape');
    await more.waitFor({ state: 'detached' });
    await byTest('command-palette-button').click();
    const palette = page.getByRole('dialog', { name: 'Command palette' });
    await palette.waitFor();
    await page.keyboard.press('Escape');
    await palette.waitFor({ state: 'detached' });
    await screenshot(page, 'layout-01-editor-1024');
    await expectAccessible();
  });

  it('opens the "+" menu inside the canvas near its bottom-right corner, and shows the step it adds', {
    timeout: STEP_MS,
  }, async () => {
    const canvas = await boxOf(page.locator('.react-flow'));
    const plus = byTest('add-after-crm-failure');
    const at = await boxOf(plus);
    await panCanvas(
      { x: at.x + at.width / 2, y: at.y + at.height / 2 },
      // Near the right edge, just above the minimap in the bottom-right corner.
      { x: canvas.x + canvas.width - 30, y: canvas.y + canvas.height - 150 },
    );
    await plus.click();
    const menu = byTest('add-menu');
    await menu.waitFor();
    await eventually(async () => inside(await boxOf(menu), canvas)).toBe(true);
    await screenshot(page, 'layout-02-add-menu-edge');

    const added = await newStepAfter(() => byTest('add-menu-sendMessage').click());
    await byTest('node-panel').getByText(`id: ${added}`).waitFor();
    await expectInView(added);
    expect(await overlapping()).toEqual([]);
    await expectNoSidewaysScroll();
  });

  it('adds a step from the command palette on free ground, and opens it', { timeout: STEP_MS }, async () => {
    const palette = await openPalette('wait');
    await expect.poll(() => palette.getByRole('option').first().innerText()).toContain('Wait');
    await screenshot(page, 'layout-03-command-palette');
    expect(await seriousViolations(page)).toEqual([]);
    const added = await newStepAfter(() => page.keyboard.press('Enter'));
    await palette.waitFor({ state: 'detached' });
    await byTest('node-panel').getByText(`id: ${added}`).waitFor();
    await expectInView(added);
    expect(await overlapping()).toEqual([]);
  });

  it('goes to a step from the command palette: selected, centred, focused', { timeout: STEP_MS }, async () => {
    await panCanvas({ x: 500, y: 300 }, { x: 100, y: 100 });
    const palette = await openPalette('sheet');
    await palette.getByRole('option', { name: /Go to step\s*sheet/ }).waitFor();
    await page.keyboard.press('Enter');
    await byTest('node-panel').getByText('id: sheet').waitFor();
    await expectInView('sheet');
    await eventually(() => page.evaluate(() => document.activeElement?.getAttribute('data-id'))).toBe('sheet');
    expect(await page.locator('.react-flow__node[data-id="sheet"]').getAttribute('class')).toContain('selected');
  });

  it('has no serious accessibility violations in the steps’ settings, the menus and the settings dialog', {
    timeout: STEP_MS,
  }, async () => {
    for (const id of ['start', 'ask', 'sheet', 'crm']) {
      await page.locator(`.react-flow__node[data-id="${id}"]`).focus();
      await page.keyboard.press('Enter');
      await byTest('node-panel').getByText(`id: ${id}`).waitFor();
      expect(await seriousViolations(page), id).toEqual([]);
    }
    await byTest('add-after-crm-success').click();
    await byTest('add-menu').waitFor();
    await expectAccessible();
    await page.keyboard.press('Escape');
    await byTest('more-actions').click();
    await page.getByRole('menuitem', { name: 'Settings' }).click();
    await page.getByRole('dialog', { name: 'Workflow settings' }).waitFor();
    await expectAccessible();
    await page.keyboard.press('Escape');
  });

  it('saves, then opens another workflow from the command palette', { timeout: STEP_MS }, async () => {
    await byTest('save-button').click();
    await eventually(() => byTest('save-button').innerText()).toBe('Saved');
    const palette = await openPalette('low score');
    // The other workflows come from the server once the palette opens.
    await palette.getByRole('option', { name: /Open workflow\s*Low score alert/ }).waitFor();
    await page.keyboard.press('Enter');
    await eventually(() => page.url()).toContain('#/workflows/low-score-alert');
    await eventually(() => byTest('workflow-name').inputValue()).not.toBe('');
  });

  it('renames a workflow from the list: refused in words after a colleague saved it, then done', {
    timeout: STEP_MS,
  }, async () => {
    await page.goto(`${scenario.product.url}/#/`);
    await page.getByRole('button', { name: /^Rename CSAT survey to Google Sheets$/ }).click();
    const dialog = byTest('rename-dialog');
    await dialog.getByTestId('rename-last-saved').waitFor();

    // A colleague saves the draft while the dialog is open.
    const { product } = scenario;
    const theirs = (await product.api('GET', '/api/workflows/csat-google-sheets')).body as Record<string, unknown>;
    const saved = await product.api('PUT', '/api/workflows/csat-google-sheets', {
      ...theirs,
      name: 'CSAT to Sheets (Ana)',
    });
    expect(saved.status).toBe(200);

    await dialog.getByLabel('Name').fill('Survey to Sheets');
    await dialog.getByRole('button', { name: 'Rename' }).click();
    const refusal = dialog.getByRole('alert');
    await eventually(() => refusal.innerText()).toContain('Not renamed');
    expect(await refusal.innerText()).toContain('it is now called “CSAT to Sheets (Ana)”');

    await dialog.getByRole('button', { name: 'Rename' }).click();
    await dialog.waitFor({ state: 'detached' });
    await eventually(() => byTest('workflow-row-csat-google-sheets').innerText()).toContain('Survey to Sheets');
  });

  it('reads the runs, a run and the dashboard with no serious accessibility violations', {
    timeout: STEP_MS,
  }, async () => {
    await page.goto(`${scenario.product.url}/#/workflows/${RUN_WORKFLOW}/runs`);
    await byTest('run-row').first().waitFor();
    await expectNoSidewaysScroll();
    await expectAccessible();

    await page.goto(`${scenario.product.url}/#/workflows/${RUN_WORKFLOW}/runs/${runId}`);
    await byTest('run-detail').locator('[data-testid="step"]').first().waitFor();
    await expectNoSidewaysScroll();
    await screenshot(page, 'layout-04-run-detail-1024');
    await expectAccessible();

    await byTest('tab-dashboard').click();
    await byTest('csat-headline').waitFor();
    await expectNoSidewaysScroll();
    await expectAccessible();
  });
});
