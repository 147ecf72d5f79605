import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, expect } from 'vitest';
import type { Scenario } from '../../e2e/scenario.ts';
import type { Product } from '../../support/product.ts';
import { watchCspViolations } from './csp-violations.ts';

/**
 * The frame of a browser test file over one scenario: a page in a context of its own watched
 * for Content-Security-Policy violations, each test failing on those it raised, and the browser
 * and the scenario closed after the last test.
 */
export interface BrowserSession {
  page: Page;
  /** What the policy blocked since the last test ended. */
  cspViolations: string[];
}

/** A page of `viewport` under the CSP watcher, waiting `timeoutMs` by default. */
export async function watchedPage(
  browser: Browser,
  viewport: { width: number; height: number },
  timeoutMs: number,
): Promise<BrowserSession> {
  const context = await browser.newContext({ viewport });
  const cspViolations = await watchCspViolations(context);
  const page = await context.newPage();
  page.setDefaultTimeout(timeoutMs);
  return { page, cspViolations };
}

/** Fails each test on the violations it raised; closes the browser, then the scenario, at the end. */
export function sessionHooks(opened: () => { browser?: Browser; scenario?: Scenario; session?: BrowserSession }) {
  afterEach(() => {
    expect(opened().session?.cspViolations.splice(0) ?? []).toEqual([]);
  });
  afterAll(async () => {
    const { browser, scenario } = opened();
    try {
      await browser?.close();
    } finally {
      await scenario?.close();
    }
  });
}

/** Signs in with the product's API key and waits for the workflow list. */
export async function signIn(page: Page, product: Product): Promise<void> {
  await page.goto(product.url);
  // The sign-in page offers e-mail and password first.
  await page.getByTestId('use-api-key').click();
  await page.getByTestId('api-key').fill(product.apiKey);
  await page.getByTestId('sign-in').click();
  await page.getByTestId('workflow-list').waitFor();
}
