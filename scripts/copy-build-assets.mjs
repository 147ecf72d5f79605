// Copies the files the compiled modules read at run time (Lua scripts) from each package's
// sources to the same relative path under its dist/, which tsc does not do. Assets already in
// dist/ are removed first, so one deleted from the sources does not linger in the build.
// Plain JavaScript so the build needs nothing beyond node and tsc.
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
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

/** Asset files under `dir`, relative to it, outside dist/ and node_modules/. */
function assets(dir) {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(
    (file) => !skipped.has(file.split(path.sep)[0]) && assetExtensions.includes(path.extname(file)),
  );
}

for (const [from, to] of packages) {
  const source = path.join(repoRoot, from);
  const output = path.join(repoRoot, to);
  for (const file of assets(output)) rmSync(path.join(output, file));
  for (const file of assets(source)) {
    const target = path.join(output, file);
    mkdirSync(path.dirname(target), { recursive: true });
    copyFileSync(path.join(source, file), target);
  }
}
