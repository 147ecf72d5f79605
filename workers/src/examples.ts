import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError, WorkflowInput } from '@convoflow/engine';
import type { EngineApi } from '@convoflow/engine/server-only';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

export const examplesDir = path.resolve(import.meta.dirname, '../../examples');

/** Redis set of example ids already offered to this install. */
export const importedExamplesKey = (prefix: string) => `${prefix}examples:imported`;

export interface ExampleImport {
  imported: string[];
  /** Ids a workflow already had (an operator's own, or an example imported by another process). */
  existing: string[];
}

/**
 * Offers each `examples/*.json` to the install once: a new example is created as a draft, an id
 * already taken is left as it is, and an example the operator deleted does not come back, because
 * every id offered is remembered in Redis. Examples added in a later release are offered then.
 */
export async function importExamples(options: {
  api: EngineApi;
  redis: Redis;
  prefix: string;
  dir?: string;
  logger: Logger;
}): Promise<ExampleImport> {
  const { api, redis, prefix, logger } = options;
  const dir = options.dir ?? examplesDir;
  const result: ExampleImport = { imported: [], existing: [] };
  const offered = new Set(await redis.smembers(importedExamplesKey(prefix)));
  for (const { file, input } of await readExamples(dir, logger)) {
    if (offered.has(input.id)) continue;
    try {
      await api.workflows.create(input);
      result.imported.push(input.id);
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'WORKFLOW_ID_TAKEN')) {
        logger.warn({ err: error, file }, `Example ${file} was not imported: ${describe(error)}`);
        continue;
      }
      result.existing.push(input.id);
    }
    await redis.sadd(importedExamplesKey(prefix), input.id);
  }
  if (result.imported.length > 0) logger.info({ examples: result.imported }, 'Imported example workflows');
  return result;
}

/** The valid examples of `dir` with their file names, in file order; others are logged and skipped. */
export async function readExamples(dir: string, logger: Logger) {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  const examples: { file: string; input: WorkflowInput & { id: string } }[] = [];
  for (const file of files) {
    const parsed = WorkflowInput.safeParse(parseJson(await readFile(path.join(dir, file), 'utf8')));
    if (!parsed.success || parsed.data.id === undefined) {
      logger.warn({ file }, `Example ${file} is not a workflow with an "id": skipped.`);
      continue;
    }
    examples.push({ file, input: { ...parsed.data, id: parsed.data.id } });
  }
  return examples;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
