import { readFile } from 'node:fs/promises';
import type { ApiKeyCreated, Me } from '@convoflow/engine';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { csatToSheetsAndCrm, type Scenario, startScenario } from '../e2e/scenario.ts';
import { callApi } from '../support/product.ts';
import { seriousViolations } from './support/axe.ts';
import { builtEditor, launchChromium, screenshot } from './support/browser.ts';
import { type BrowserSession, watchedPage } from './support/session.ts';

/**
 * One install, four roles, each signed in in a browser context of its own: the install's key
 * (owner) makes named keys for an editor, a viewer and an agent through the API; each sees what
 * its role may do. The owner then makes a key in the API keys page (shown once), revokes it,
 * and reads both, and a publish, in the audit log, downloading it as CSV.
 */

const WAIT_MS = 15_000;
const STEP_MS = 60_000;
const WORKFLOW_ID = 'roles-csat';
const VIEWPORT = { width: 1440, height: 900 };

let scenario: Scenario;
let browser: Browser;
const sessions: BrowserSession[] = [];
const keys: Partial<Record<'editor' | 'viewer' | 'agent', ApiKeyCreated>> = {};

const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: WAIT_MS, interval: 100 });

/** A page in a new browser context, signed in with `key`, once the app knows who the key is. */
async function signedIn(key: string, name: string): Promise<Page> {
  const session = await watchedPage(browser, VIEWPORT, WAIT_MS);
  sessions.push(session);
  const { page } = session;
  await page.goto(scenario.product.url);
  await page.getByTestId('use-api-key').click();
  await page.getByTestId('api-key').fill(key);
  await page.getByTestId('editor-name').fill(name);
  await page.getByTestId('sign-in').click();
  return page;
}

function keyOf(role: 'editor' | 'viewer' | 'agent'): ApiKeyCreated {
  const key = keys[role];
  if (!key) throw new Error(`no ${role} key was made`);
  return key;
}

describe('roles in the editor', () => {
  beforeAll(async () => {
    const editorDir = builtEditor();
    browser = await launchChromium();
    scenario = await startScenario({ editorDir });
    await scenario.publish({ ...csatToSheetsAndCrm(scenario.crm.url), id: WORKFLOW_ID, name: 'CSAT by role' });
    for (const [role, name] of [
      ['editor', 'Ed the editor'],
      ['viewer', 'Vi the viewer'],
      ['agent', 'Chatwoot macro'],
    ] as const) {
      const created = await scenario.product.api('POST', '/api/keys', { name, role });
      expect(created.status).toBe(201);
      keys[role] = created.body as ApiKeyCreated;
    }
  });

  afterEach(() => {
    // Each test's own Content-Security-Policy violations, in whichever context it used.
    expect(sessions.flatMap((session) => session.cspViolations.splice(0))).toEqual([]);
  });

  afterAll(async () => {
    try {
      await browser?.close();
    } finally {
      await scenario?.close();
    }
  });

  it('shows an editor every change but not the Team pages', { timeout: STEP_MS }, async () => {
    const page = await signedIn(keyOf('editor').key, 'Ed');
    await page.getByTestId('workflow-list').waitFor();
    expect(await page.getByTestId('signed-in-as').innerText()).toBe('Ed the editor · Editor');
    await page.getByTestId('create-workflow').waitFor();
    expect(await page.getByTestId('nav-keys').count()).toBe(0);
    expect(await page.getByTestId('nav-audit').count()).toBe(0);
    await page.goto(`${scenario.product.url}/#/audit`);
    expect(await page.getByTestId('owner-only').innerText()).toContain('not an owner key');
  });

  it('shows a viewer the workflow read-only: no Publish, no palette, a disabled step panel', {
    timeout: STEP_MS,
  }, async () => {
    const page = await signedIn(keyOf('viewer').key, 'Vi');
    const row = page.getByTestId(`workflow-row-${WORKFLOW_ID}`);
    await row.waitFor();
    expect(await page.getByTestId('create-workflow').count()).toBe(0);
    expect(await page.getByTestId('import-workflow').count()).toBe(0);
    expect(await row.getByRole('button', { name: 'Delete CSAT by role' }).count()).toBe(0);

    await row.getByRole('link', { name: 'CSAT by role' }).click();
    await page.getByTestId('node-ask').waitFor();
    const publish = page.getByTestId('publish-button');
    expect(await publish.isDisabled()).toBe(true);
    expect(await publish.getAttribute('title')).toBe('Your key is a viewer key: this needs an owner or editor key.');
    expect(await page.getByTestId('save-button').isDisabled()).toBe(true);
    await page.getByTestId('read-only').waitFor();
    expect(await page.getByTestId('unpublish-button').count()).toBe(0);
    expect(await page.locator('.palette').count()).toBe(0);
    expect(await page.locator('.node-card__add:visible').count()).toBe(0);

    // A drag moves no step (it pans the canvas, the steps as one) and leaves nothing unsaved.
    const card = page.getByTestId('node-ask');
    const apart = async () => {
      const [ask, start] = [await card.boundingBox(), await page.getByTestId('node-start').boundingBox()];
      return { x: (ask?.x ?? 0) - (start?.x ?? 0), y: (ask?.y ?? 0) - (start?.y ?? 0) };
    };
    const before = await apart();
    const box = await card.boundingBox();
    await card.hover();
    await page.mouse.down();
    await page.mouse.move((box?.x ?? 0) + 150, (box?.y ?? 0) + 80, { steps: 5 });
    await page.mouse.up();
    expect(await apart()).toEqual(before);
    expect(await page.getByTestId('dirty-marker').count()).toBe(0);

    await card.click();
    const panel = page.getByTestId('node-panel');
    await panel.getByText('id: ask').waitFor();
    expect(await panel.getByTestId('step-name').isDisabled()).toBe(true);
    expect(await panel.getByRole('button', { name: 'Delete step' }).count()).toBe(0);
    await screenshot(page, 'roles-04-viewer');

    // The server refuses a viewer's change whatever the page shows.
    const refused = await callApi(
      scenario.product.url,
      keyOf('viewer').key,
      'POST',
      `/api/workflows/${WORKFLOW_ID}/publish`,
    );
    expect(refused.status).toBe(403);
  });

  it('shows an agent only what its key is for, and signs it out', { timeout: STEP_MS }, async () => {
    const page = await signedIn(keyOf('agent').key, 'Agent');
    const agentPage = page.getByTestId('agent-page');
    await agentPage.waitFor();
    expect(await agentPage.innerText()).toContain('can only run shortcut workflows from the helpdesk');
    expect(await page.getByTestId('workflow-list').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'roles-05-agent');
    await page.getByTestId('sign-out').click();
    await page.getByTestId('api-key').waitFor();
  });

  it('lets the owner make a key in the page, shown once, and revoke it', { timeout: STEP_MS }, async () => {
    const page = await signedIn(scenario.product.apiKey, 'Olivia');
    await page.getByTestId(`workflow-row-${WORKFLOW_ID}`).waitFor();
    expect(await page.getByTestId('signed-in-as').innerText()).toBe('Olivia · Owner');
    await screenshot(page, 'roles-06-owner-list');
    await page.getByTestId('nav-keys').click();
    const list = page.getByTestId('key-list');
    await eventually(async () => (await list.locator('tbody tr').count()) >= 3).toBe(true);
    expect(await page.getByTestId(`key-row-${keyOf('viewer').id}`).innerText()).toContain('Viewer');
    expect(await page.getByTestId(`key-row-${keyOf('editor').id}`).innerText()).toContain('Ed the editor');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'roles-01-keys');

    await page.getByTestId('new-key').click();
    const dialog = page.getByTestId('new-key-dialog');
    await dialog.getByTestId('new-key-name').fill('Temporary n8n');
    await dialog.getByTestId('new-key-role-editor').check();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'roles-07-new-key');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const shown = page.getByTestId('created-key-dialog');
    await shown.waitFor();
    expect(await shown.innerText()).toContain('An editor key. Copy it now');
    expect(await shown.innerText()).toContain('it will not be shown again');
    const key = await shown.getByTestId('created-key').inputValue();
    const who = await callApi(scenario.product.url, key, 'GET', '/api/me');
    expect(who.body as Me).toMatchObject({ name: 'Temporary n8n', role: 'editor' });
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'roles-02-key-created');
    await shown.getByTestId('created-key-done').click();
    expect(await page.getByTestId('created-key-dialog').count()).toBe(0);
    expect(await page.content()).not.toContain(key);

    const row = list.locator('tr', { hasText: 'Temporary n8n' });
    await row.getByRole('button', { name: 'Revoke Temporary n8n' }).click();
    const confirm = page.getByTestId('confirm-revoke');
    expect(await confirm.innerText()).toContain('Revoke “Temporary n8n”?');
    await confirm.getByRole('button', { name: 'Revoke' }).click();
    await eventually(() => row.innerText()).toContain('Revoked');
    await eventually(async () => (await callApi(scenario.product.url, key, 'GET', '/api/me')).status).toBe(401);
  });

  it('shows the owner the audit log: the key made and revoked, the publish; filtered; as CSV', {
    timeout: STEP_MS,
  }, async () => {
    const page = sessions.at(-1)?.page;
    if (!page) throw new Error('the owner is not signed in');
    await page.getByTestId('team-audit').click();
    const list = page.getByTestId('audit-list');
    await list.waitFor();
    const text = await list.innerText();
    expect(text).toContain('Created an API key');
    expect(text).toContain('Revoked an API key');
    expect(text).toContain('Published a workflow');
    expect(text).toContain('Temporary n8n');
    expect(await list.locator('tbody tr').first().innerText()).toContain('Revoked an API key');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'roles-03-audit');

    await page.getByTestId('audit-action').selectOption('key.revoked');
    await eventually(() => list.locator('tbody tr').count()).toBe(1);
    const download = page.waitForEvent('download');
    await page.getByTestId('audit-csv').click();
    const file = await (await download).path();
    const csv = await readFile(file, 'utf8');
    expect(csv).toContain('key.revoked');
    expect(csv).not.toContain('workflow.published');
  });
});
