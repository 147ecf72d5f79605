import { AppError } from '../errors.ts';

/**
 * Deepest nesting of arrays and objects a body may have. A workflow is about 8 deep; code that
 * walks a body recursively (validation, templating, serialization) must never meet one deep
 * enough to exhaust the stack.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Parses a JSON request body. Unlike Fastify's default parser it keeps `JSON.parse`'s
 * message, which names the position of the mistake, and it refuses `__proto__` and
 * `constructor.prototype` keys, which could poison objects merged from the body later.
 */
export function parseJsonBody(raw: Buffer): unknown {
  const text = raw.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') return undefined;
  refuseDeepNesting(text);
  const mayPoison = text.includes('__proto__') || text.includes('constructor');
  try {
    return mayPoison ? JSON.parse(text, refusePoison) : JSON.parse(text);
  } catch (error) {
    if (error instanceof AppError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError('BAD_REQUEST', `Malformed JSON body: ${reason}.`);
  }
}

function refusePoison(this: unknown, key: string, value: unknown): unknown {
  const poisoned =
    key === '__proto__' ||
    (key === 'constructor' && typeof value === 'object' && value !== null && Object.hasOwn(value, 'prototype'));
  if (poisoned) throw new AppError('BAD_REQUEST', `Malformed JSON body: the key "${key}" is not allowed.`);
  return value;
}

/** One pass over the text, counting brackets outside strings: cheaper than parsing first. */
function refuseDeepNesting(text: string): void {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === BACKSLASH) index += 1;
      else if (char === QUOTE) inString = false;
    } else if (char === QUOTE) {
      inString = true;
    } else if (char === OPEN_BRACE || char === OPEN_BRACKET) {
      depth += 1;
      if (depth > MAX_JSON_DEPTH) {
        throw new AppError(
          'BAD_REQUEST',
          `Malformed JSON body: it nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep (at position ${index}).`,
        );
      }
    } else if (char === CLOSE_BRACE || char === CLOSE_BRACKET) {
      depth -= 1;
    }
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
