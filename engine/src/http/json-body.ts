import { AppError } from '../errors.ts';

/**
 * Parses a JSON request body. Unlike Fastify's default parser it keeps `JSON.parse`'s
 * message, which names the position of the mistake, and it refuses `__proto__` and
 * `constructor.prototype` keys, which could poison objects merged from the body later.
 */
export function parseJsonBody(raw: Buffer): unknown {
  const text = raw.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') return undefined;
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
