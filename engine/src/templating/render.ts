import type { Scope } from '../sdk/runner.ts';

/**
 * `$variable` templating. Syntax, the whole of it:
 * - `$name.path`: `$` then an identifier (`[A-Za-z_][A-Za-z0-9_]*`), then any number of
 *   `.segment`s, each an identifier or digits (an array index): `$contact.name`, `$crm.body.items.0`.
 *   A trailing `.` that is not followed by a segment is text: "thanks $contact.name." ends a sentence.
 * - A `$` not followed by an identifier is literal text: "$5", "costs $ 3", "${x}".
 * - `$$` is a literal `$`, so "$$rating" renders "$rating" untouched (the only escape there is).
 * Nothing is ever evaluated: a template can only read values from the scope, by own
 * properties, never through `__proto__`, `constructor` or `prototype`.
 */

/** Called once per missing variable path in one rendering (the runtime logs a warning). */
export type OnMissing = (path: string) => void;

export type VariableLookup = { found: true; value: unknown } | { found: false };

const VARIABLE = /\$([A-Za-z_][A-Za-z0-9_]*(?:\.(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+))*)/y;
const WHOLE_VARIABLE = /^\$([A-Za-z_][A-Za-z0-9_]*(?:\.(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+))*)$/;
const UNSAFE_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

type Token = { kind: 'text'; text: string } | { kind: 'variable'; path: string; inJsonString: boolean };

/** Interpolates variables as text: objects and arrays as JSON, null and missing as "". */
export function renderText(template: string, scope: Readonly<Scope>, onMissing?: OnMissing): string {
  const lookup = missingReporter(scope, onMissing);
  let out = '';
  for (const token of tokenize(template, false)) {
    out += token.kind === 'text' ? token.text : textOf(lookup(token.path));
  }
  return out;
}

/**
 * A template that is exactly one variable (ignoring surrounding whitespace) returns that
 * variable's value with its type (4 stays 4, an object stays an object; missing gives "");
 * any other template renders as text.
 */
export function renderValue(template: string, scope: Readonly<Scope>, onMissing?: OnMissing): unknown {
  const whole = WHOLE_VARIABLE.exec(template.trim());
  if (!whole) return renderText(template, scope, onMissing);
  const path = whole[1]!;
  const found = lookupVariable(scope, path);
  if (found.found) return found.value;
  onMissing?.(path);
  return '';
}

/**
 * Interpolates into a JSON document's text. Inside a string literal a value is inserted as
 * escaped text (missing → empty); elsewhere it is inserted as a JSON value (missing → null),
 * so a template that was valid JSON with variables in value positions stays valid JSON.
 */
export function renderJson(template: string, scope: Readonly<Scope>, onMissing?: OnMissing): string {
  const lookup = missingReporter(scope, onMissing);
  let out = '';
  for (const token of tokenize(template, true)) {
    if (token.kind === 'text') out += token.text;
    else if (token.inJsonString) out += JSON.stringify(textOf(lookup(token.path))).slice(1, -1);
    else out += jsonOf(lookup(token.path));
  }
  return out;
}

/** The variable paths a template reads, without `$`, each once, in order of first use. */
export function findVariables(template: string): string[] {
  const paths = new Set<string>();
  for (const token of tokenize(template, false)) {
    if (token.kind === 'variable') paths.add(token.path);
  }
  return [...paths];
}

/** Reads `contact.name` from a scope through own properties only. */
export function lookupVariable(scope: Readonly<Scope>, path: string): VariableLookup {
  let current: unknown = scope;
  for (const segment of path.split('.')) {
    if (UNSAFE_SEGMENTS.has(segment)) return { found: false };
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, segment)) return { found: false };
    current = Reflect.get(current, segment);
  }
  return { found: true, value: current };
}

function missingReporter(scope: Readonly<Scope>, onMissing: OnMissing | undefined): (path: string) => unknown {
  const reported = new Set<string>();
  return (path) => {
    const found = lookupVariable(scope, path);
    if (found.found) return found.value;
    if (onMissing && !reported.has(path)) {
      reported.add(path);
      onMissing(path);
    }
    return undefined;
  };
}

function textOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value) ?? '';
  return String(value);
}

function jsonOf(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  return JSON.stringify(value) ?? 'null';
}

/**
 * Splits a template into text and variables. In JSON mode it also tracks string literals,
 * honouring backslash escapes, so a variable knows whether it sits inside quotes.
 */
function tokenize(template: string, json: boolean): Token[] {
  const tokens: Token[] = [];
  let text = '';
  let inString = false;
  let i = 0;
  while (i < template.length) {
    const ch = template[i]!;
    if (json && inString && ch === '\\') {
      text += template.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (json && ch === '"') {
      inString = !inString;
    } else if (ch === '$') {
      if (template[i + 1] === '$') {
        text += '$';
        i += 2;
        continue;
      }
      VARIABLE.lastIndex = i;
      const match = VARIABLE.exec(template);
      if (match) {
        if (text) tokens.push({ kind: 'text', text });
        text = '';
        tokens.push({ kind: 'variable', path: match[1]!, inJsonString: inString });
        i = VARIABLE.lastIndex;
        continue;
      }
    }
    text += ch;
    i += 1;
  }
  if (text) tokens.push({ kind: 'text', text });
  return tokens;
}
