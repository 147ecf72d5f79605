import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noteWorkflow, startTestApp, type TestApp } from '../../engine/src/http/test-app.ts';
import { importExamples } from './examples.ts';

describe('importing the examples', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    t = await startTestApp();
    dir = await mkdtemp(path.join(tmpdir(), 'convoflow-examples-'));
  });
  afterAll(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('leaves a workflow whose id is taken as it is, and reports it as existing, not as a failure', async () => {
    await t.runtime.api.workflows.create({ ...noteWorkflow('taken'), name: 'The operator’s own' });
    await writeFile(path.join(dir, 'a.json'), JSON.stringify(noteWorkflow('taken')));
    await writeFile(path.join(dir, 'b.json'), JSON.stringify(noteWorkflow('fresh')));
    const warnings: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(line) });

    const result = await importExamples({ api: t.runtime.api, redis: t.redis, prefix: t.prefix, dir, logger });

    expect(result).toEqual({ imported: ['fresh'], existing: ['taken'] });
    expect(warnings).toEqual([]);
    expect((await t.runtime.api.workflows.get('taken')).name).toBe('The operator’s own');
  });
});
