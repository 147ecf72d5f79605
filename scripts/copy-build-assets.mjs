// Copies the files the compiled modules read at run time (Lua scripts) from each package's
// sources to the same relative path under its dist/, which tsc does not do. Plain JavaScript so
// the build needs nothing beyond node and tsc.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '..');

/** Source root → output root, as `rootDir` → `outDir` in each package's tsconfig.build.json. */
const packages = [
  ['engine/src', 'engine/dist'],
  ['nodes', 'nodes/dist'],
  ['workers/src', 'workers/dist'],
];
const assetExtensions = ['.lua'];
const skipped = new Set(['dist', 'node_modules']);

for (const [from, to] of packages) {
  const source = path.join(repoRoot, from);
  for (const file of readdirSync(source, { recursive: true, encoding: 'utf8' })) {
    if (skipped.has(file.split(path.sep)[0]) || !assetExtensions.includes(path.extname(file))) continue;
    const target = path.join(repoRoot, to, file);
    mkdirSync(path.dirname(target), { recursive: true });
    copyFileSync(path.join(source, file), target);
  }
}
