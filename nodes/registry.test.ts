import { readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { NodeRegistry } from '@convoflow/engine';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import csatExample from '../examples/csat-sheets-and-crm.json';
import { definitions, nodeTypes } from './index.ts';
import { runners } from './runners.ts';

/** Fields of an object schema, looking through optional/default wrappers and into arrays of objects. */
function fieldsOf(schema: z.ZodType, path = ''): Array<{ path: string; field: z.ZodType }> {
  if (!(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape).flatMap(([key, field]) => {
    const here = `${path}${key}`;
    return [{ path: here, field }, ...fieldsOf(unwrap(field), `${here}.`)];
  });
}

function unwrap(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault || schema instanceof z.ZodNullable) {
    return unwrap(schema.unwrap() as z.ZodType);
  }
  if (schema instanceof z.ZodArray) return unwrap(schema.element as z.ZodType);
  return schema;
}

/** Every file `index.ts` reaches through relative imports: what the editor's bundle holds of `nodes/`. */
function browserFiles(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const source = readFileSync(file, 'utf8');
  for (const [, specifier] of source.matchAll(/from '(\.[^']+)'/g)) {
    browserFiles(resolve(dirname(file), specifier!), seen);
  }
  return seen;
}

describe('node registry', () => {
  it('keeps the browser-safe registry free of run code and server-only modules', () => {
    const files = [...browserFiles(join(import.meta.dirname, 'index.ts'))];
    expect(files.length).toBeGreaterThan(8);
    for (const file of files) {
      expect(basename(file), file).not.toMatch(/^run/);
      const imports = [...readFileSync(file, 'utf8').matchAll(/from '([^.][^']*)'/g)].map((match) => match[1]);
      for (const specifier of imports) {
        expect(['@convoflow/engine', 'zod'], `${relative(import.meta.dirname, file)} imports ${specifier}`).toContain(
          specifier,
        );
      }
    }
  });

  it('pairs every definition with a runner, keyed by its type', () => {
    expect(nodeTypes.length).toBeGreaterThan(0);
    for (const type of nodeTypes) {
      expect(definitions[type].type).toBe(type);
      expect(runners[type], type).toBeDefined();
      expect(typeof runners[type].run).toBe('function');
    }
    expect(Object.keys(runners).sort()).toEqual([...nodeTypes].sort());
  });

  it('gives every node a label, group, description, icon and a resume for each that pauses', () => {
    for (const type of nodeTypes) {
      const definition = definitions[type];
      expect(definition.label.length, type).toBeGreaterThan(0);
      expect(definition.description.length, type).toBeGreaterThan(0);
      expect(definition.icon.length, type).toBeGreaterThan(0);
      if (definition.pauses) expect(runners[type].resume, type).toBeTypeOf('function');
    }
  });

  it('puts a meta title and description on every schema field, nested ones included', () => {
    for (const type of nodeTypes) {
      const fields = fieldsOf(definitions[type].schema);
      for (const { path, field } of fields) {
        const meta = z.globalRegistry.get(field);
        expect(meta?.title, `${type}: ${path}`).toBeTruthy();
        expect(meta?.description, `${type}: ${path}`).toBeTruthy();
      }
    }
  });

  it('converts every schema to JSON Schema for the editor forms', () => {
    for (const type of nodeTypes) {
      const json = z.toJSONSchema(definitions[type].schema, { io: 'input', unrepresentable: 'any' });
      expect(json.type, type).toBe('object');
    }
  });

  it('marks as triggers exactly the types in the Triggers group, the two triggers of the format among them', () => {
    for (const type of nodeTypes) {
      expect(Boolean(definitions[type].trigger), type).toBe(definitions[type].group === 'Triggers');
    }
    expect(nodeTypes.filter((type) => definitions[type].trigger)).toEqual(
      expect.arrayContaining(['trigger.conversationClosed', 'trigger.shortcut']),
    );
  });

  it('gives the editor a summary and exit labels it can read off a blank new node', () => {
    for (const type of nodeTypes) {
      const definition = definitions[type];
      expect(() => definition.summary?.({}), type).not.toThrow();
      expect(() => definition.exitLabel?.({}, 'next'), type).not.toThrow();
    }
  });

  it('parses the DESIGN.md format-v1 example node data unchanged', () => {
    const example = Object.fromEntries(csatExample.nodes.map((node) => [node.type, node.data]));
    for (const [type, data] of Object.entries(example)) {
      const parsed = (definitions as NodeRegistry)[type]?.schema.safeParse(data);
      expect(parsed?.error, type).toBeUndefined();
      expect(parsed?.data, type).toMatchObject(data);
    }
    const ask = definitions.askQuestion;
    const data = ask.schema.parse(example.askQuestion);
    expect(ask.exits(data)).toEqual(['answered', 'invalid', 'timeout']);
    expect(ask.variables(data)).toEqual([expect.objectContaining({ name: 'rating', type: 'number' })]);
    const http = definitions['http.request'];
    expect(http.variables(http.schema.parse(example['http.request'])).map((v) => v.name)).toEqual([
      'crm',
      'crm.status',
      'crm.body',
    ]);
  });
});
