import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowInput } from '@convoflow/engine';
import { repoRoot } from './processes.ts';

/** A shipped `examples/<id>.json`, fresh each call: the one source of the tests' CSAT workflows. */
export function example(id: string): WorkflowInput & { id: string } {
  return JSON.parse(readFileSync(path.join(repoRoot, 'examples', `${id}.json`), 'utf8'));
}
