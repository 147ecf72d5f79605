import { type ChannelCallContext, type ChannelConnection, StepError } from '@convoflow/engine';
import type { ChatwootChannel } from './definition.ts';

/**
 * Calls to Chatwoot's account API (`/api/v1/accounts/{accountId}/…`, header `api_access_token`),
 * through the context's guarded fetch, and how their failures read to the operator.
 */

export type ChatwootConnection = ChannelConnection<ChatwootChannel>;

/** Chatwoot answers in well under a second; a hung proxy must not hold a run's step forever. */
const REQUEST_TIMEOUT_MS = 15_000;

export interface ChatwootRequest {
  method: 'GET' | 'POST';
  /** Below the account, e.g. `/conversations/12/messages`. */
  path: string;
  body?: unknown;
}

export interface ChatwootResponse {
  status: number;
  /** Parsed JSON, else the text. */
  body: unknown;
  /** Seconds, when Chatwoot (or its proxy) sent `Retry-After`. */
  retryAfter?: string;
}

/** Where Chatwoot lives, for messages: origin and path only, never credentials in the URL. */
export function chatwootPlace(connection: ChatwootConnection): string {
  const url = new URL(connection.settings.baseUrl);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** One request; throws only when no answer came (network, timeout, shutdown). */
export async function requestChatwoot(
  connection: ChatwootConnection,
  context: ChannelCallContext,
  request: ChatwootRequest,
): Promise<ChatwootResponse> {
  const url = `${chatwootPlace(connection)}/api/v1/accounts/${connection.settings.accountId}${request.path}`;
  const response = await context.fetch(url, {
    method: request.method,
    headers: {
      api_access_token: connection.secrets.apiAccessToken,
      accept: 'application/json',
      ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
    signal: AbortSignal.any([context.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
  });
  const text = await response.text();
  const retryAfter = response.headers.get('retry-after') ?? undefined;
  return { status: response.status, body: parseBody(text), ...(retryAfter ? { retryAfter } : {}) };
}

/**
 * A request whose failure fails the step: network, timeout, 429 and 5xx are retryable; a refused
 * token, an unknown account or conversation, or a refused body are not, and say which it likely is.
 */
export async function callChatwoot(
  connection: ChatwootConnection,
  context: ChannelCallContext,
  request: ChatwootRequest,
): Promise<unknown> {
  let response: ChatwootResponse;
  try {
    response = await requestChatwoot(connection, context, request);
  } catch (error) {
    if (context.signal.aborted) throw error;
    throw new StepError(
      `${request.method} ${request.path}: could not reach Chatwoot at ${chatwootPlace(connection)} (${networkReason(error)})`,
      { retryable: true, cause: error },
    );
  }
  const { status, body } = response;
  if (status >= 200 && status < 300) return body;
  const answer = `Chatwoot answered HTTP ${status}${theirWords(body)}`;
  const target = `${request.method} ${request.path}`;
  if (status === 429 || status >= 500) {
    const wait = response.retryAfter ? `; it asks to retry after ${response.retryAfter} s` : '';
    throw new StepError(`${target}: ${answer}${wait}`, { retryable: true });
  }
  throw new StepError(`${target}: ${answer}. ${likelyCause(connection, status)}`);
}

function likelyCause(connection: ChatwootConnection, status: number): string {
  const account = connection.settings.accountId;
  switch (status) {
    case 401:
    case 403:
      return `Chatwoot refused the API access token: check the token in connection "${connection.name}" and that its user is an agent of account ${account}.`;
    case 404:
      return `Account ${account} or the conversation does not exist on ${chatwootPlace(connection)} (or the token's user cannot see it).`;
    case 422:
      return 'Chatwoot refused what was sent.';
    default:
      return 'Retrying will not help.';
  }
}

/** Chatwoot's own message: `{error}`, `{message}` or `{errors: […]}`; else the start of the text. */
export function theirWords(body: unknown): string {
  const words = (() => {
    if (typeof body === 'string') return body.trim().slice(0, 200);
    if (typeof body !== 'object' || body === null) return '';
    for (const key of ['error', 'message', 'errors']) {
      const value: unknown = Reflect.get(body, key);
      if (typeof value === 'string') return value;
      if (Array.isArray(value))
        return value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))).join('; ');
    }
    return JSON.stringify(body).slice(0, 200);
  })();
  return words ? `: "${words}"` : '';
}

export function networkReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
    return code && !cause.message.includes(code) ? `${cause.message} (${code})` : cause.message;
  }
  return error.message;
}

function parseBody(text: string): unknown {
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
