import { setTimeout as sleep } from 'node:timers/promises';
import type { Json } from '@convoflow/engine';
import { forbiddenAddressIn } from '@convoflow/engine/net';
import { type Dispatcher, request } from 'undici';

export interface OutgoingRequest {
  method: Dispatcher.HttpMethod;
  url: string;
  headers: Record<string, string>;
  /** Headers holding a stored secret: like `authorization`, never forwarded to another origin. */
  secretHeaders?: readonly string[];
  body?: string;
}

export interface SendOptions {
  dispatcher: Dispatcher;
  /** Per attempt, headers and body included. */
  timeoutMs: number;
  /** Extra attempts after a network error, a timeout, 429 or 5xx. */
  retries: number;
  /** The step's own signal: aborting it stops at once (shutdown), without a result. */
  signal: AbortSignal;
  onRetry?: (message: string) => void;
}

export type SendResult =
  /** The last response (any status: the caller decides what counts as success). */
  | {
      kind: 'response';
      status: number;
      body: Json;
      truncated: boolean;
      attempts: number;
      note?: string;
      /** The response's `Content-Type`, for the run log. */
      contentType?: string;
    }
  /** No response: refused target, network error or timeout after the retries. */
  | { kind: 'error'; message: string; attempts: number };

export const MAX_RESPONSE_BYTES = 256 * 1024;
export const MAX_REDIRECTS = 5;
/** A server asking for a longer pause than this is not retried within the step. */
export const MAX_RETRY_AFTER_MS = 30_000;
const BACKOFF_BASE_MS = 300;
const BACKOFF_CAP_MS = 10_000;

/** Credentials by their name: not forwarded to another origin, not shown in the run log. */
export const SENSITIVE_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

/**
 * Sends with retries and manual redirects. Redirects are followed hop by hop through the same
 * dispatcher (so each target passes the address guard again), at most `MAX_REDIRECTS`;
 * credentials are not forwarded to another origin.
 */
export async function send(outgoing: OutgoingRequest, options: SendOptions): Promise<SendResult> {
  let attempts = 0;
  for (;;) {
    attempts += 1;
    const canRetry = attempts <= options.retries;
    let outcome: Attempt;
    try {
      outcome = await attempt(outgoing, options);
    } catch (error) {
      if (options.signal.aborted) throw error;
      const refused = forbiddenAddressIn(error);
      if (refused) return { kind: 'error', message: refused.message, attempts };
      const message = describeError(error, options.timeoutMs);
      if (!canRetry || !isRetryableError(error)) return { kind: 'error', message, attempts };
      const delay = backoff(attempts);
      options.onRetry?.(`attempt ${attempts} failed (${message}); retrying in ${delay} ms`);
      await sleep(delay, undefined, { signal: options.signal });
      continue;
    }
    const { status } = outcome;
    if (status === 429 || status >= 500) {
      const retryAfter = outcome.retryAfterMs;
      if (retryAfter !== null && retryAfter > MAX_RETRY_AFTER_MS) {
        const note = `the server asked to retry after ${Math.round(retryAfter / 1000)} s, longer than the step waits`;
        return { kind: 'response', ...outcome.response, attempts, note };
      }
      if (canRetry) {
        const delay = retryAfter ?? backoff(attempts);
        options.onRetry?.(`attempt ${attempts} got HTTP ${status}; retrying in ${delay} ms`);
        await sleep(delay, undefined, { signal: options.signal });
        continue;
      }
    }
    return { kind: 'response', ...outcome.response, attempts, ...(outcome.note ? { note: outcome.note } : {}) };
  }
}

interface Attempt {
  status: number;
  retryAfterMs: number | null;
  response: { status: number; body: Json; truncated: boolean; contentType?: string };
  note?: string;
}

/** One attempt: the request and any redirects, under one timeout. */
async function attempt(outgoing: OutgoingRequest, options: SendOptions): Promise<Attempt> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = AbortSignal.any([options.signal, timeout]);
  let current = outgoing;
  for (let hop = 0; ; hop++) {
    const response = await request(current.url, {
      method: current.method,
      headers: current.headers,
      ...(current.body !== undefined ? { body: current.body } : {}),
      dispatcher: options.dispatcher,
      signal,
    });
    const location = headerValue(response.headers.location);
    if (response.statusCode >= 300 && response.statusCode < 400 && location) {
      await response.body.dump();
      if (hop === MAX_REDIRECTS) {
        return {
          status: response.statusCode,
          retryAfterMs: null,
          response: { status: response.statusCode, body: null, truncated: false },
          note: `stopped after ${MAX_REDIRECTS} redirects (last to ${location})`,
        };
      }
      current = redirected(current, response.statusCode, location);
      continue;
    }
    const { text, truncated } = await readLimited(response.body);
    const contentType = headerValue(response.headers['content-type']);
    return {
      status: response.statusCode,
      retryAfterMs: parseRetryAfter(headerValue(response.headers['retry-after'])),
      response: {
        status: response.statusCode,
        body: parseBody(text, contentType),
        truncated,
        ...(contentType === undefined ? {} : { contentType }),
      },
    };
  }
}

function redirected(previous: OutgoingRequest, status: number, location: string): OutgoingRequest {
  const next = new URL(location, previous.url);
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    throw new RedirectError(`redirected to ${next.protocol} URL, which HTTP steps do not follow`);
  }
  const sameOrigin = next.origin === new URL(previous.url).origin;
  const toGet = status === 303 || ((status === 301 || status === 302) && previous.method === 'POST');
  const secret = new Set(previous.secretHeaders?.map((name) => name.toLowerCase()));
  const headers = Object.fromEntries(
    Object.entries(previous.headers).filter(([name]) => {
      const lower = name.toLowerCase();
      if (!sameOrigin && (SENSITIVE_HEADERS.includes(lower) || secret.has(lower))) return false;
      return !(toGet && (lower === 'content-type' || lower === 'content-length'));
    }),
  );
  return {
    method: toGet ? 'GET' : previous.method,
    url: next.href,
    headers,
    ...(previous.secretHeaders ? { secretHeaders: previous.secretHeaders } : {}),
    ...(toGet || previous.body === undefined ? {} : { body: previous.body }),
  };
}

class RedirectError extends Error {
  override readonly name = 'RedirectError';
}

async function readLimited(body: AsyncIterable<Uint8Array>): Promise<{ text: string; truncated: boolean }> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for await (const chunk of body) {
    const room = MAX_RESPONSE_BYTES - size;
    if (chunk.byteLength > room) {
      chunks.push(chunk.subarray(0, room));
      truncated = true;
      break;
    }
    chunks.push(chunk);
    size += chunk.byteLength;
  }
  return { text: new TextDecoder().decode(Buffer.concat(chunks)), truncated };
}

/** JSON when it parses (declared JSON or looking like it), else the text. */
function parseBody(text: string, contentType: string | undefined): Json {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const looksJson = contentType?.includes('json') || /^[[{"]/.test(trimmed);
  if (!looksJson) return text;
  try {
    return JSON.parse(trimmed);
  } catch {
    return text;
  }
}

/** `Retry-After` as seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Exponential with jitter, so many runs retrying together do not hit the server in step. */
function backoff(attempt: number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function isRetryableError(error: unknown): boolean {
  if (error instanceof RedirectError) return false;
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  return code !== 'UND_ERR_INVALID_ARG' && code !== 'ERR_INVALID_URL';
}

function describeError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no response within ${timeoutMs} ms`;
  }
  if (error instanceof Error) {
    const code = 'code' in error && typeof error.code === 'string' ? ` (${error.code})` : '';
    return `${error.message}${code}`;
  }
  return String(error);
}
