import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const FAKE_ASSET = '/assets/index-abc123.js';

export interface FakeEditor {
  dir: string;
  remove(): Promise<void>;
}

/** For the API's tests: a stand-in for the built editor, an `index.html` and one hashed asset. */
export async function writeFakeEditor(): Promise<FakeEditor> {
  const dir = await mkdtemp(path.join(tmpdir(), 'editor-'));
  await mkdir(path.join(dir, 'assets'));
  await writeFile(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
  await writeFile(path.join(dir, FAKE_ASSET), 'console.log(1)');
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
