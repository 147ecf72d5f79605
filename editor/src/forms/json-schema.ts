import { z } from 'zod';

/** One JSON Schema node as `z.toJSONSchema` emits it (draft 2020-12, plus `.meta()` keys). */
export type JsonSchema = z.core.JSONSchema.JSONSchema;

const cache = new WeakMap<z.ZodType, JsonSchema>();

/** The form's view of a node schema: what the operator types (input side, defaults shown). */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const cached = cache.get(schema);
  if (cached) return cached;
  const json: JsonSchema = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  cache.set(schema, json);
  return json;
}

export function asSchema(value: unknown): JsonSchema | undefined {
  return isSchema(value) ? value : undefined;
}

/** JSON Schema allows `true`/`false` as schemas too; forms only edit object schemas. */
function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export type FieldKind = 'text' | 'number' | 'boolean' | 'select' | 'object' | 'list' | 'rows' | 'union' | 'const';

/** A schema with nullable wrappers removed, and what kind of control edits it. */
export interface ResolvedField {
  schema: JsonSchema;
  kind: FieldKind;
}

export function resolveField(raw: JsonSchema): ResolvedField {
  const schema = stripNull(raw);
  if (schema.const !== undefined) return { schema, kind: 'const' };
  if (Array.isArray(schema.enum)) return { schema, kind: 'select' };
  const branches = (schema.anyOf ?? schema.oneOf)?.map(asSchema).filter((b): b is JsonSchema => b !== undefined);
  if (branches && branches.length > 0) {
    const first = branches[0];
    const { anyOf: _a, oneOf: _o, ...meta } = schema;
    if (branches.every((b) => b.const !== undefined)) {
      return {
        schema: { ...meta, type: 'string', enum: branches.flatMap((b) => (b.const === undefined ? [] : [b.const])) },
        kind: 'select',
      };
    }
    // A union of plain values (text or number) edits as its first form, under the union's own label.
    if (first && branches.every((b) => !['object', 'array'].includes(primaryType(b) ?? 'object'))) {
      return resolveField({ ...first, ...meta });
    }
    return { schema, kind: 'union' };
  }
  const type = primaryType(schema);
  if (type === 'number' || type === 'integer') return { schema, kind: 'number' };
  if (type === 'boolean') return { schema, kind: 'boolean' };
  if (type === 'object') return { schema, kind: 'object' };
  if (type === 'array') {
    const items = asSchema(schema.items);
    const itemKind = items ? resolveField(items).kind : 'text';
    return { schema, kind: itemKind === 'object' || itemKind === 'union' ? 'rows' : 'list' };
  }
  return { schema, kind: 'text' };
}

function primaryType(schema: JsonSchema): string | undefined {
  const type = schema.type;
  if (Array.isArray(type)) return type.find((t) => t !== 'null');
  return type;
}

/** `T | null` (either as `type: [T, "null"]` or `anyOf`) edits like `T`. */
function stripNull(schema: JsonSchema): JsonSchema {
  const branches = schema.anyOf ?? schema.oneOf;
  if (!branches) return schema;
  const nonNull = branches.map(asSchema).filter((b): b is JsonSchema => b !== undefined && b.type !== 'null');
  if (nonNull.length === 1 && nonNull[0]) {
    const { anyOf: _a, oneOf: _o, ...rest } = schema;
    return { ...nonNull[0], ...rest };
  }
  return schema;
}

/** Object properties in declaration order, with whether each is required. */
export function propertiesOf(schema: JsonSchema): { key: string; schema: JsonSchema; required: boolean }[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).flatMap(([key, value]) => {
    const property = asSchema(value);
    return property ? [{ key, schema: property, required: required.has(key) }] : [];
  });
}

/** For a union of objects told apart by one `const` property: that property's name. */
export function discriminatorOf(branches: readonly JsonSchema[]): string | undefined {
  const first = branches[0];
  if (!first) return undefined;
  return propertiesOf(first)
    .map((p) => p.key)
    .find((key) => branches.every((b) => asSchema(b.properties?.[key])?.const !== undefined));
}

/** A fresh value for a schema: its default, else an empty value of its kind. */
export function emptyValue(raw: JsonSchema): unknown {
  if (raw.default !== undefined) return structuredClone(raw.default);
  const { schema, kind } = resolveField(raw);
  switch (kind) {
    case 'const':
      return schema.const;
    case 'select':
      return schema.enum?.[0];
    case 'number':
      return undefined;
    case 'boolean':
      return false;
    case 'object':
      return initialObject(schema);
    case 'list':
    case 'rows': {
      // A list that must not be empty starts with one blank entry to fill in.
      const items = asSchema(schema.items);
      return (schema.minItems ?? 0) >= 1 && items ? [emptyValue(items)] : [];
    }
    case 'union': {
      const first = asSchema((schema.anyOf ?? schema.oneOf)?.[0]);
      return first ? emptyValue(first) : undefined;
    }
    default:
      return '';
  }
}

/** An object with every required property (and every defaulted one) filled in. */
export function initialObject(schema: JsonSchema): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const property of propertiesOf(schema)) {
    if (!property.required && property.schema.default === undefined) continue;
    const value = emptyValue(property.schema);
    if (value !== undefined) result[property.key] = value;
  }
  return result;
}

export function humanize(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
}
