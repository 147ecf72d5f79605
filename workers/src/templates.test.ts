import { readdir } from 'node:fs/promises';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { examplesDir } from './examples.ts';
import { exampleTemplates } from './templates.ts';

describe('example templates', () => {
  it('offers every shipped example with its name, description and full graph', async () => {
    const templates = await exampleTemplates(pino({ level: 'silent' }))();
    const files = (await readdir(examplesDir)).filter((name) => name.endsWith('.json'));
    expect(templates).toHaveLength(files.length);
    for (const template of templates) {
      expect(template.description, template.id).toEqual(expect.any(String));
      expect(template.workflow).toMatchObject({ id: template.id, name: template.name });
      expect(template.workflow.nodes.length).toBeGreaterThan(1);
      expect(template.workflow.settings).toBeDefined();
    }
  });
});
