import { z } from 'zod';

/** One thing wrong in a value, said for an operator: `field` is the dotted path inside it. */
export interface FieldIssue {
  field: string | undefined;
  /** "Label: reason", ready to show. */
  message: string;
  /** The reason alone: "required". */
  reason: string;
}

export type ParsedData = { ok: true; data: unknown } | { ok: false; issues: FieldIssue[] };

/**
 * Parses a value with its schema and words each issue for an operator: "Question: required",
 * "Columns #3 › Value: must be text". A message the schema author wrote is kept as written.
 */
export function parseWithSchema(schema: z.ZodType, value: unknown): ParsedData {
  let result: ReturnType<typeof schema.safeParse>;
  try {
    result = schema.safeParse(value, { error: readableMessage });
  } catch (error) {
    // A refinement in a node's schema threw on odd input: report it, validation never throws.
    const reason = `could not be checked (${error instanceof Error ? error.message : String(error)})`;
    return { ok: false, issues: [{ field: undefined, message: `These settings ${reason}`, reason }] };
  }
  if (result.success) return { ok: true, data: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => {
      const label = fieldLabel(schema, issue.path);
      return {
        field: issue.path.length > 0 ? issue.path.map(String).join('.') : undefined,
        message: label ? `${label}: ${issue.message}` : capitalise(issue.message),
        reason: issue.message,
      };
    }),
  };
}

/**
 * What is wrong with a step's settings, on one line: what a run's log records for a step that
 * cannot run, in the words validation shows the editor for each field.
 */
export function settingsProblem(issues: readonly FieldIssue[]): string {
  return issues.map((issue) => issue.message).join('; ');
}

/** A step whose type is not installed: said so alike by validation and by a run's log. */
export function unknownStepType(type: string | undefined): string {
  return `Unknown step type "${type}": it is not one of the installed node types.`;
}

/** The words for zod's built-in checks; `undefined` keeps the schema's own message. */
export function readableMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined || issue.input === null) return 'required';
      return `must be ${typeNoun(issue.expected)}`;
    case 'too_small':
      return tooSmall(issue.origin, Number(issue.minimum), issue.inclusive !== false);
    case 'too_big':
      return tooBig(issue.origin, Number(issue.maximum), issue.inclusive !== false);
    case 'invalid_format':
      return formatNoun(issue.format);
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.join(', ')}`;
    case 'invalid_union':
      return 'does not match any of the allowed forms';
    default:
      return undefined;
  }
}

function typeNoun(expected: string): string {
  const nouns: Record<string, string> = {
    string: 'text',
    number: 'a number',
    int: 'a whole number',
    boolean: 'true or false',
    array: 'a list',
    object: 'an object',
  };
  return nouns[expected] ?? `a ${expected}`;
}

function tooSmall(origin: string, minimum: number, inclusive: boolean): string {
  if (origin === 'string') return minimum <= 1 ? 'must not be empty' : `needs at least ${minimum} characters`;
  if (origin === 'array' || origin === 'set') {
    return minimum <= 1 ? 'needs at least one item' : `needs at least ${minimum} items`;
  }
  return inclusive ? `must be at least ${minimum}` : `must be more than ${minimum}`;
}

function tooBig(origin: string, maximum: number, inclusive: boolean): string {
  if (origin === 'string') return `must be at most ${maximum} characters`;
  if (origin === 'array' || origin === 'set') return `can hold at most ${maximum} items`;
  return inclusive ? `must be at most ${maximum}` : `must be less than ${maximum}`;
}

function formatNoun(format: string): string {
  if (format === 'email') return 'must be an email address';
  if (format === 'url') return 'must be a URL, e.g. https://example.com';
  if (format === 'regex') return 'is not in the expected format';
  return `must be a valid ${format}`;
}

/**
 * "Columns #3 › Value" for `columns.2.value`: each named step uses its field's
 * `.meta({ title })`, else the key in words.
 */
export function fieldLabel(root: z.ZodType, path: readonly PropertyKey[]): string {
  const parts: string[] = [];
  let schema: z.core.$ZodType | undefined = root;
  for (const segment of path) {
    const next: z.core.$ZodType | undefined = schema ? childSchema(unwrap(schema).schema, segment) : undefined;
    const title = next ? unwrap(next).title : undefined;
    if (typeof segment === 'number') parts.push(`#${segment + 1}`);
    else parts.push(title ?? words(String(segment)));
    schema = next;
  }
  return parts.join(' › ').replace(/ › #/g, ' #');
}

/** Looks through optional/default/nullable/pipe wrappers, keeping the outermost title. */
function unwrap(schema: z.core.$ZodType): { schema: z.core.$ZodType; title: string | undefined } {
  let current = schema;
  let title: string | undefined;
  for (let depth = 0; depth < 20; depth += 1) {
    title ??= titleOf(current);
    const inner = innerSchema(current);
    if (!inner) break;
    current = inner;
  }
  return { schema: current, title };
}

function innerSchema(schema: z.core.$ZodType): z.core.$ZodType | undefined {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) return schema.unwrap();
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault) return schema.unwrap();
  if (schema instanceof z.ZodReadonly || schema instanceof z.ZodCatch) return schema.unwrap();
  if (schema instanceof z.ZodPipe) return schema.in;
  return undefined;
}

function childSchema(schema: z.core.$ZodType, segment: PropertyKey): z.core.$ZodType | undefined {
  if (schema instanceof z.ZodObject && typeof segment === 'string') {
    return Object.hasOwn(schema.shape, segment) ? schema.shape[segment] : undefined;
  }
  if (schema instanceof z.ZodArray) return schema.element;
  if (schema instanceof z.ZodRecord) return schema.valueType;
  return undefined;
}

function titleOf(schema: z.core.$ZodType): string | undefined {
  const title = z.globalRegistry.get(schema)?.title;
  return typeof title === 'string' && title ? title : undefined;
}

/** `retryMessage` → "Retry message". */
function words(key: string): string {
  const spaced = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ');
  return capitalise(spaced.toLowerCase());
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
