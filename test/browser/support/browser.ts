import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { repoRoot } from '../../support/processes.ts';

/**
 * Debian's Chromium driven by playwright-core: the browser tests use the system package rather
 * than a downloaded build, so they run wherever `apt-get install chromium` works.
 */

export const chromiumPath = '/usr/bin/chromium';
/** `EDITOR_DIST_DIR` points the tests at another build (several people building at once). */
export const editorDir = process.env.EDITOR_DIST_DIR ?? path.join(repoRoot, 'editor', 'dist');
export const screenshotDir = path.join(repoRoot, 'test', 'artifacts', 'screenshots');

const chromiumFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The built editor's folder; fails with the command to build it when it is missing. */
export function builtEditor(): string {
  if (!existsSync(path.join(editorDir, 'index.html'))) {
    throw new Error(`The built editor is missing (${editorDir}/index.html): run \`npm run build:editor\` first.`);
  }
  return editorDir;
}

/** Launches headless Chromium; fails with the install command when the browser is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `The browser tests need Chromium at ${chromiumPath}: install it with \`apt-get install -y chromium\`.`,
    );
  }
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumFlags });
}

/** Saves a screenshot of the viewport as `test/artifacts/screenshots/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
