import type { AnyNodeDefinition, NodeGroup } from '@convoflow/engine';
import { registry } from '@convoflow/nodes';
import { initialObject, jsonSchemaOf } from '../forms/json-schema.ts';

/** The browser-safe node definitions, by type. */
export const nodeRegistry = registry;

export const paletteGroups: readonly NodeGroup[] = ['Triggers', 'Questions', 'Actions', 'Logic'];

export function definitionOf(type: string | undefined): AnyNodeDefinition | undefined {
  return type === undefined ? undefined : nodeRegistry[type];
}

/** The node's exits; a config that does not parse still shows the handles it can (branch ids). */
export function exitsOf(type: string | undefined, data: Record<string, unknown>): readonly string[] {
  const definition = definitionOf(type);
  if (!definition) return [];
  const parsed = definition.schema.safeParse(data);
  try {
    return definition.exits(parsed.success ? parsed.data : data);
  } catch {
    return [];
  }
}

/** Data for a new node: its schema's defaults, and blanks for what the operator must fill in. */
export function initialData(type: string): Record<string, unknown> {
  const definition = definitionOf(type);
  return definition ? initialObject(jsonSchemaOf(definition.schema)) : {};
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
