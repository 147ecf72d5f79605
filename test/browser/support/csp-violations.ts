import type { BrowserContext } from 'playwright-core';

/** The function every page of the context calls when its Content-Security-Policy blocks something. */
const REPORT = 'reportCspViolation';

/**
 * Collects every Content-Security-Policy violation in the context's pages: the page's own
 * `securitypolicyviolation` events (what the policy blocked, and where) and Chromium's console
 * messages about the policy. Call before the context opens its first page.
 */
export async function watchCspViolations(context: BrowserContext): Promise<string[]> {
  const violations: string[] = [];
  await context.exposeFunction(REPORT, (violation: string) => violations.push(violation));
  await context.addInitScript((report) => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const where = `${event.sourceFile || event.documentURI}:${event.lineNumber}`;
      const send = Reflect.get(window, report) as (violation: string) => void;
      send(`${event.effectiveDirective} blocked ${event.blockedURI || 'inline code'} at ${where}`);
    });
  }, REPORT);
  context.on('console', (message) => {
    if (/content security policy/i.test(message.text())) violations.push(`console: ${message.text()}`);
  });
  return violations;
}
