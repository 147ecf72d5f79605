import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { csatToSheetsAndCrm, type Scenario, startScenario } from '../e2e/scenario.ts';
import { seriousViolations } from './support/axe.ts';
import { builtEditor, launchChromium, screenshot } from './support/browser.ts';
import { type BrowserSession, watchedPage } from './support/session.ts';

/**
 * People signing in as themselves: the owner's first-start link (as `npm start` prints it)
 * creates the owner in the browser; the owner signs in with e-mail and password, invites an
 * editor, a viewer and an agent on the Users page, and each opens their invitation in a browser
 * context of their own, sets a password and sees what the role may do, then signs out.
 */

const WAIT_MS = 15_000;
const STEP_MS = 60_000;
const WORKFLOW_ID = 'accounts-csat';
const VIEWPORT = { width: 1440, height: 900 };
const OWNER = { name: 'Olivia Owner', email: 'olivia@example.com', password: 'olivia owns this install' };
const PASSWORD = 'a long enough password';
const invited = [
  { role: 'editor', name: 'Ed Editor', email: 'ed@example.com' },
  { role: 'viewer', name: 'Vi Viewer', email: 'vi@example.com' },
  { role: 'agent', name: 'Al Agent', email: 'al@example.com' },
] as const;
type InvitedRole = (typeof invited)[number]['role'];

let scenario: Scenario;
let browser: Browser;
const sessions: BrowserSession[] = [];
/** The invitation links the Users page showed, by role. */
const links: Partial<Record<InvitedRole, string>> = {};
let ownerPage: Page;

/** A page in a new browser context (no key, no cookie) under the CSP watcher. */
async function freshPage(): Promise<Page> {
  const session = await watchedPage(browser, VIEWPORT, WAIT_MS);
  sessions.push(session);
  return session.page;
}

/** The link's token opened on this product: the server names links after PUBLIC_URL, not the test's port. */
const onProduct = (link: string) => `${scenario.product.url}/#${link.slice(link.indexOf('#') + 1)}`;

/** The status of `GET /api/me` from the page, with its cookie: 401 once signed out. */
const meStatus = (page: Page) => page.evaluate(async () => (await fetch('/api/me')).status);

describe('accounts in the editor', () => {
  beforeAll(async () => {
    const editorDir = builtEditor();
    browser = await launchChromium();
    scenario = await startScenario({ editorDir });
    await scenario.publish({ ...csatToSheetsAndCrm(scenario.crm.url), id: WORKFLOW_ID, name: 'CSAT for accounts' });
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

  it("creates the owner's account from the first-start link", { timeout: STEP_MS }, async () => {
    // What `npm start` prints while no user exists.
    const start = await scenario.product.runtime.api.users.startOwner();
    if (start.kind !== 'link') throw new Error(`expected a first-start link, got ${start.kind}`);
    const page = await freshPage();
    await page.goto(onProduct(start.link.url));
    const card = page.getByTestId('link-page-welcome');
    await card.waitFor();
    expect(await card.innerText()).toContain('At least 12 characters');
    await page.getByTestId('link-name').fill(OWNER.name);
    await page.getByTestId('link-email').fill(OWNER.email);
    await page.getByTestId('link-password').fill(OWNER.password);
    await page.getByTestId('link-password-again').fill('not the same password');
    await page.getByTestId('link-submit').click();
    expect(await page.getByTestId('link-error').innerText()).toBe('The two passwords are not the same.');
    await page.getByTestId('link-password-again').fill(OWNER.password);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'accounts-02-welcome');
    await page.getByTestId('link-submit').click();
    await page.getByTestId(`workflow-row-${WORKFLOW_ID}`).waitFor();
    expect(await page.getByTestId('signed-in-as').innerText()).toBe(`${OWNER.name} · Owner`);
    expect(page.url()).toBe(`${scenario.product.url}/#/`);
  });

  it('signs the owner in with e-mail and password; a wrong password says so in words', {
    timeout: STEP_MS,
  }, async () => {
    ownerPage = await freshPage();
    const page = ownerPage;
    await page.goto(scenario.product.url);
    await page.getByTestId('sign-in-email').fill(OWNER.email);
    await page.getByTestId('sign-in-password').fill('not my password');
    await page.getByTestId('sign-in').click();
    expect(await page.getByTestId('sign-in-error').innerText()).toBe('Wrong e-mail or password.');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'accounts-01-sign-in');
    await page.getByTestId('sign-in-password').fill(OWNER.password);
    await page.getByTestId('sign-in').click();
    await page.getByTestId(`workflow-row-${WORKFLOW_ID}`).waitFor();
    expect(await page.getByTestId('signed-in-as').innerText()).toBe(`${OWNER.name} · Owner`);
    // Signed in by the cookie alone: nothing of a key is kept in the tab.
    expect(await page.evaluate(() => sessionStorage.getItem('convoflow.apiKey'))).toBeNull();
  });

  it('invites an editor, a viewer and an agent on the Users page, each by a link shown once', {
    timeout: STEP_MS,
  }, async () => {
    const page = ownerPage;
    await page.getByTestId('nav-users').click();
    const list = page.getByTestId('user-list');
    await list.waitFor();
    expect(await list.innerText()).toContain(`${OWNER.name} (you)`);
    for (const person of invited) {
      await page.getByTestId('invite-user').click();
      const dialog = page.getByTestId('invite-dialog');
      await dialog.getByTestId('invite-name').fill(person.name);
      await dialog.getByTestId('invite-email').fill(person.email);
      await dialog.getByTestId(`invite-role-${person.role}`).check();
      if (person.role === 'editor') expect(await seriousViolations(page)).toEqual([]);
      await dialog.getByRole('button', { name: 'Make the invitation link' }).click();
      const shown = page.getByTestId('user-link-dialog');
      await shown.waitFor();
      expect(await shown.innerText()).toContain('No e-mail is sent');
      const link = await shown.getByTestId('user-link').inputValue();
      expect(link).toContain('#/invite/');
      links[person.role] = link;
      if (person.role === 'editor') {
        expect(await seriousViolations(page)).toEqual([]);
        await screenshot(page, 'accounts-04-invite-link');
      }
      await shown.getByTestId('user-link-done').click();
      expect(await page.content()).not.toContain(link.slice(link.lastIndexOf('/') + 1));
    }
    await expect
      .poll(async () => (await list.innerText()).match(/Invited, no password yet/g)?.length ?? 0, { timeout: WAIT_MS })
      .toBe(3);
    expect(await list.innerText()).toContain('Al Agent');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'accounts-03-users');
  });

  it('lets each invited person set a password and see what the role may do, then sign out', {
    timeout: STEP_MS,
  }, async () => {
    for (const person of invited) {
      const link = links[person.role];
      if (!link) throw new Error(`no invitation for the ${person.role}`);
      const page = await freshPage();
      await page.goto(onProduct(link));
      await page.getByTestId('link-page-invite').waitFor();
      await expect.poll(() => page.getByTestId('link-name').inputValue(), { timeout: WAIT_MS }).toBe(person.name);
      expect(await page.getByTestId('link-account').innerText()).toBe(`Account: ${person.email}`);
      if (person.role === 'editor') expect(await seriousViolations(page)).toEqual([]);
      await page.getByTestId('link-password').fill(PASSWORD);
      await page.getByTestId('link-password-again').fill(PASSWORD);
      await page.getByTestId('link-submit').click();

      if (person.role === 'agent') {
        const agentPage = page.getByTestId('agent-page');
        await agentPage.waitFor();
        expect(await agentPage.innerText()).toContain('can only run shortcut workflows from the helpdesk');
        expect(await page.getByTestId('workflow-list').count()).toBe(0);
      } else {
        const row = page.getByTestId(`workflow-row-${WORKFLOW_ID}`);
        await row.waitFor();
        const role = person.role === 'editor' ? 'Editor' : 'Viewer';
        expect(await page.getByTestId('signed-in-as').innerText()).toBe(`${person.name} · ${role}`);
        expect(await page.getByTestId('nav-users').count()).toBe(0);
        expect(await page.getByTestId('nav-keys').count()).toBe(0);
        expect(await page.getByTestId('create-workflow').count()).toBe(person.role === 'editor' ? 1 : 0);
        if (person.role === 'viewer') {
          await screenshot(page, 'accounts-05-signed-in-viewer');
          await row.getByRole('link', { name: 'CSAT for accounts' }).click();
          const publish = page.getByTestId('publish-button');
          await publish.waitFor();
          expect(await publish.isDisabled()).toBe(true);
          expect(await publish.getAttribute('title')).toBe(
            'You are a viewer: this needs an owner or editor; ask an owner.',
          );
          await page.goto(`${scenario.product.url}/#/`);
          await row.waitFor();
        } else {
          await page.goto(`${scenario.product.url}/#/users`);
          expect(await page.getByTestId('owner-only').innerText()).toContain('you are not an owner');
          await page.goto(`${scenario.product.url}/#/`);
          await row.waitFor();
        }
      }
      expect(await meStatus(page)).toBe(200);
      await page.getByTestId('sign-out').click();
      await page.getByTestId('sign-in-email').waitFor();
      await expect.poll(() => meStatus(page), { timeout: WAIT_MS }).toBe(401);
    }
  });

  it('shows the owner who has signed in since, and deactivates the agent after a confirmation', {
    timeout: STEP_MS,
  }, async () => {
    const page = ownerPage;
    await page.reload();
    const list = page.getByTestId('user-list');
    await list.waitFor();
    await expect.poll(async () => (await list.innerText()).includes('Invited, no password yet')).toBe(false);
    const agentRow = list.locator('tr', { hasText: 'Al Agent' });
    await agentRow.getByRole('button', { name: 'Deactivate Al Agent' }).click();
    const confirm = page.getByTestId('confirm-user-active');
    expect(await confirm.innerText()).toContain('can no longer sign in');
    await confirm.getByRole('button', { name: 'Deactivate' }).click();
    await expect.poll(() => agentRow.innerText(), { timeout: WAIT_MS }).toContain('Deactivated');

    // The last owner stays: demoting oneself is refused in words.
    const ownerRow = list.locator('tr', { hasText: OWNER.email });
    await ownerRow.getByLabel(`Role of ${OWNER.name}`).selectOption('editor');
    expect(await page.getByTestId('users-error').innerText()).toContain('last active owner');
    expect(await ownerRow.getByLabel(`Role of ${OWNER.name}`).inputValue()).toBe('owner');
  });

  it('hands the editor a password reset link; the new password signs in', { timeout: STEP_MS }, async () => {
    const list = ownerPage.getByTestId('user-list');
    await list.getByRole('button', { name: 'Reset password link for Ed Editor' }).click();
    const shown = ownerPage.getByTestId('user-link-dialog');
    expect(await shown.innerText()).toContain('Password reset link for Ed Editor');
    const link = await shown.getByTestId('user-link').inputValue();
    await shown.getByTestId('user-link-done').click();

    const page = await freshPage();
    await page.goto(onProduct(link));
    await page.getByTestId('link-page-reset').waitFor();
    expect(await page.getByTestId('link-account').innerText()).toBe('Account: ed@example.com');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('link-password').fill('a brand new password');
    await page.getByTestId('link-password-again').fill('a brand new password');
    await page.getByTestId('link-submit').click();
    await page.getByTestId(`workflow-row-${WORKFLOW_ID}`).waitFor();
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in-email').fill('ed@example.com');
    await page.getByTestId('sign-in-password').fill(PASSWORD);
    await page.getByTestId('sign-in').click();
    expect(await page.getByTestId('sign-in-error').innerText()).toBe('Wrong e-mail or password.');
    await page.getByTestId('sign-in-password').fill('a brand new password');
    await page.getByTestId('sign-in').click();
    expect(await page.getByTestId('signed-in-as').innerText()).toBe('Ed Editor · Editor');
  });

  it('names the owner in the audit log for the invitations and the deactivation', { timeout: STEP_MS }, async () => {
    const page = ownerPage;
    await page.getByTestId('team-audit').click();
    const list = page.getByTestId('audit-list');
    await list.waitFor();
    const invitedRow = list.locator('tbody tr', { hasText: 'Invited a person' }).first();
    expect(await invitedRow.innerText()).toContain(OWNER.name);
    expect(await list.locator('tbody tr', { hasText: 'Deactivated a person' }).first().innerText()).toContain(
      OWNER.name,
    );
  });

  // Last: it leaves this address's failure count raised.
  it('says how long to wait after too many failed sign-ins', { timeout: STEP_MS }, async () => {
    const page = await freshPage();
    await page.goto(scenario.product.url);
    await page.getByTestId('sign-in-email').fill('nobody@example.com');
    await page.getByTestId('sign-in-password').fill('a guessed password');
    const error = page.getByTestId('sign-in-error');
    for (let attempt = 1; attempt <= 6; attempt += 1) {
      await page.getByTestId('sign-in').click();
      await expect.poll(() => error.count(), { timeout: WAIT_MS }).toBe(1);
      if (attempt < 6) expect(await error.innerText()).toBe('Wrong e-mail or password.');
    }
    await expect
      .poll(() => error.innerText(), { timeout: WAIT_MS })
      .toBe('Too many attempts. Try again in 15 minutes, or ask an owner for a password reset link.');
  });
});
