import type { AnyChannelDefinition, ChannelRegistry } from '@convoflow/engine';
import { z } from 'zod';
import { humanize, jsonSchemaOf, propertiesOf } from '../forms/json-schema.ts';
import type { ConnectionOf } from '../forms/useConnections.ts';

export type ChannelConnection = ConnectionOf<'channel'>;

/** The definition of a connection's kind; undefined for a kind this editor does not know. */
export function definitionOf(definitions: ChannelRegistry, kind: string): AnyChannelDefinition | undefined {
  return Object.hasOwn(definitions, kind) ? definitions[kind] : undefined;
}

const literal = new WeakMap<z.ZodObject, z.ZodObject>();

/**
 * The settings as their form edits them. A connection's settings are used as typed, never
 * filled in from a run, so their text fields offer no `$variables`; parsing is unchanged.
 */
export function literalFields(schema: z.ZodObject): z.ZodObject {
  const known = literal.get(schema);
  if (known) return known;
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([key, field]) => [key, field.meta({ ...field.meta(), variables: false })]),
  );
  const fields = z.object(shape);
  literal.set(schema, fields);
  return fields;
}

/** What a field is called on screen: its `.meta({ title })`, else its key in words. */
export function fieldTitle(schema: z.ZodObject, key: string): string {
  const property = propertiesOf(jsonSchemaOf(schema)).find((candidate) => candidate.key === key);
  return property?.schema.title ?? humanize(key);
}

/** Every field of a schema of text fields, blank. */
export function blankFields(schema: z.ZodObject): Record<string, string> {
  return Object.fromEntries(Object.keys(schema.shape).map((key) => [key, '']));
}

/**
 * The value to send: an optional field left blank is left out (its default applies), where
 * sending `""` would be refused as text that is not a URL, a version…
 */
export function withoutBlankOptionals<T>(schema: z.ZodObject, value: Record<string, T>): Record<string, T> {
  const required = new Set(jsonSchemaOf(schema).required ?? []);
  return Object.fromEntries(Object.entries(value).filter(([key, field]) => field !== '' || required.has(key)));
}

/** A secrets schema where those the server holds may be left out: left empty, each keeps its stored value. */
export function keepingStored(schema: z.ZodObject, stored: readonly string[]): z.ZodObject {
  if (!stored.some((key) => Object.hasOwn(schema.shape, key))) return schema;
  const shape = Object.entries(schema.shape).map(([key, field]) => [
    key,
    stored.includes(key) ? field.optional() : field,
  ]);
  return z.object(Object.fromEntries(shape));
}

/** A connection id not yet taken: the channel's kind, else the kind numbered. */
export function freeId(kind: string, taken: readonly string[]): string {
  if (!taken.includes(kind)) return kind;
  let number = 2;
  while (taken.includes(`${kind}-${number}`)) number += 1;
  return `${kind}-${number}`;
}
