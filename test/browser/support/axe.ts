import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** axe-core's browser build, read once. */
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Impacts that fail the check: what keeps someone from using the page, not polish. */
const FAILING = ['serious', 'critical'];

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * The serious and critical accessibility violations axe-core finds in the page as it is now,
 * one line each with the elements concerned. axe goes in through the DevTools protocol
 * (page.evaluate), which the page's Content-Security-Policy does not govern, so the product's
 * policy stays as strict as it ships.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async (): Promise<Violation[]> => {
    const axe = Reflect.get(window, 'axe') as {
      run: (
        context: Document,
        options: object,
      ) => Promise<{
        violations: {
          id: string;
          impact: string | null;
          help: string;
          nodes: { target: unknown[]; failureSummary?: string }[];
        }[];
      }>;
    };
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.map((node) => `${node.target.join(' ')} — ${node.failureSummary ?? ''}`),
    }));
  });
  return violations
    .filter((violation) => FAILING.includes(violation.impact ?? ''))
    .map((violation) => `${violation.impact} ${violation.id}: ${violation.help}\n  ${violation.nodes.join('\n  ')}`);
}
