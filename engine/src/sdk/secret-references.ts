import { connectionIdPattern } from '../contract/connections.ts';
import { ConnectionTypeError } from './errors.ts';
import type { ConnectionResolver, Json } from './runner.ts';

/**
 * `{{secret:<connection id>}}` in a field that takes secrets (a node declares which, with
 * `secretReferences`) stands for the value of a stored connection of type `secret`. The
 * workflow document holds only the reference; the value is filled in at run time, when the
 * step sends, and masked in everything the step reports.
 */
const REFERENCE = new RegExp(`\\{\\{secret:(${connectionIdPattern})\\}\\}`, 'g');

/** Secret values by connection id, as a step resolved them. */
export type SecretValues = ReadonlyMap<string, string>;

/** The connection ids a template references, each once, in order. */
export function findSecretReferences(template: string): string[] {
  return [...new Set(Array.from(template.matchAll(REFERENCE), (match) => match[1] ?? ''))];
}

/** Decrypted values of `ids`; a missing connection or one that is not a secret is a `StepError`. */
export async function resolveSecrets(connections: ConnectionResolver, ids: Iterable<string>): Promise<SecretValues> {
  const values = new Map<string, string>();
  for (const id of new Set(ids)) {
    const connection = await connections.get(id);
    if (connection.type !== 'secret') throw new ConnectionTypeError(id, connection.type, 'secret');
    values.set(id, connection.value);
  }
  return values;
}

/**
 * Fills `$variables` (through `render`) in the template's own text only, and puts each
 * referenced secret in as it is. Never the other way round: a variable's value (a contact's
 * reply) is not searched for references, so "{{secret:crm}}" typed by a contact stays text and
 * cannot pull a secret into a request; a secret's value is not searched for `$variables`.
 */
export function renderWithSecrets(template: string, secrets: SecretValues, render: (text: string) => string): string {
  let out = '';
  let from = 0;
  for (const match of template.matchAll(REFERENCE)) {
    const id = match[1] ?? '';
    const value = secrets.get(id);
    if (value === undefined) throw new Error(`Secret "${id}" was not resolved before rendering.`);
    out += render(template.slice(from, match.index)) + value;
    from = match.index + match[0].length;
  }
  return out + render(template.slice(from));
}

/** Text with every secret value replaced by `[secret:<id>]`, for notes, logs and errors. */
export function maskText(text: string, secrets: SecretValues): string {
  let masked = text;
  // Longest first: a secret that contains another is masked whole.
  for (const [id, value] of [...secrets].sort(([, a], [, b]) => b.length - a.length)) {
    masked = masked.replaceAll(value, `[secret:${id}]`);
  }
  return masked;
}

/** `maskText` on every string of a JSON value, keys included (a response that echoes a secret). */
export function maskJson(value: Json, secrets: SecretValues): Json {
  if (typeof value === 'string') return maskText(value, secrets);
  if (Array.isArray(value)) return value.map((item) => maskJson(item, secrets));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [maskText(key, secrets), maskJson(item, secrets)]),
  );
}
