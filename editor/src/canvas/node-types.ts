import type { AnyNodeDefinition, NodeGroup, NodeRegistry } from '@convoflow/engine';
import { definitions } from '@convoflow/nodes';
import { createContext, useContext } from 'react';
import { initialObject, jsonSchemaOf } from '../forms/json-schema.ts';

const NodeTypesContext = createContext<NodeRegistry>(definitions);

/** The node types the node cards and forms render: the product's, unless a test supplies others. */
export const NodeTypesProvider = NodeTypesContext.Provider;

export function useNodeTypes(): NodeRegistry {
  return useContext(NodeTypesContext);
}

export const paletteGroups: readonly NodeGroup[] = ['Triggers', 'Questions', 'Actions', 'Logic'];

/** The words naming a step: the name an operator gave it, else its type's label, else its type. */
export function stepTitle(type: string | undefined, name?: string | null): string {
  return name?.trim() || definitionOf(type)?.label || type || 'Unknown step';
}

export function definitionOf(
  type: string | undefined,
  types: NodeRegistry = definitions,
): AnyNodeDefinition | undefined {
  return type === undefined ? undefined : types[type];
}

/** The node's exits; a config that does not parse still shows the handles it can (branch ids). */
export function exitsOf(
  type: string | undefined,
  data: Record<string, unknown>,
  types: NodeRegistry = definitions,
): readonly string[] {
  const definition = definitionOf(type, types);
  if (!definition) return [];
  const parsed = definition.schema.safeParse(data);
  return hint(() => definition.exits(parsed.success ? parsed.data : data)) ?? [];
}

/** The line under the card's title: the definition's summary of the data as it stands, if any. */
export function summaryOf(
  definition: AnyNodeDefinition | undefined,
  data: Record<string, unknown>,
): string | undefined {
  return hint(() => definition?.summary?.(data)) || undefined;
}

/** The text on an exit handle: the definition's label for it (a branch's), else the exit's name. */
export function exitLabelOf(
  definition: AnyNodeDefinition | undefined,
  data: Record<string, unknown>,
  exit: string,
): string {
  return hint(() => definition?.exitLabel?.(data, exit)) || exit;
}

/** Data for a new node: its schema's defaults, and blanks for what the operator must fill in. */
export function initialData(type: string): Record<string, unknown> {
  const definition = definitionOf(type);
  return definition ? initialObject(jsonSchemaOf(definition.schema)) : {};
}

/** Editor hints read data mid-edit, possibly of the wrong shape: one that throws gives nothing. */
function hint<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
