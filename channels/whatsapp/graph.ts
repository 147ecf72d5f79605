import type { ChannelCallContext, ChannelConnection } from '@convoflow/engine';
import type { whatsapp } from './definition.ts';
import { GraphError } from './payloads.ts';

export type WhatsAppConnection = ChannelConnection<typeof whatsapp>;

/** Meta answers within seconds; past this the call is treated as a network failure (retried). */
const REQUEST_TIMEOUT_MS = 20_000;

/** Meta's throttling codes, which come back with HTTP 400 as often as 429. */
const THROTTLING_CODES = new Set([4, 80007, 130429, 131056]);

export type GraphFailure = {
  /** `unreachable`: no answer; `token`: the access token is refused; `busy`: 5xx or throttled, worth retrying. */
  kind: 'unreachable' | 'token' | 'busy' | 'refused';
  status?: number;
  code?: number;
  /** What Meta said (or what went wrong on the way), for a person to read. Never holds a secret. */
  words: string;
};

export type GraphAnswer = { ok: true; body: unknown } | { ok: false; failure: GraphFailure };

/**
 * One authenticated call to the Graph API, through the engine's guarded `fetch`. Aborting the
 * step's signal (shutdown) throws as it is; every other failure comes back classified.
 */
export async function callGraph(
  connection: WhatsAppConnection,
  context: ChannelCallContext,
  request: { method: 'GET' | 'POST'; path: string; body?: unknown },
): Promise<GraphAnswer> {
  const url = graphUrl(connection, request.path);
  let response: Response;
  let text: string;
  try {
    response = await context.fetch(url, {
      method: request.method,
      headers: {
        authorization: `Bearer ${connection.secrets.accessToken}`,
        ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal: AbortSignal.any([context.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
    });
    text = await response.text();
  } catch (error) {
    if (context.signal.aborted) throw error;
    return { ok: false, failure: { kind: 'unreachable', words: `could not reach ${url.origin}: ${describe(error)}` } };
  }
  const body = parseJson(text);
  if (response.ok) return { ok: true, body };
  return { ok: false, failure: classify(response.status, body, text) };
}

function graphUrl(connection: WhatsAppConnection, path: string): URL {
  const base = connection.settings.graphBaseUrl.replace(/\/*$/, '/');
  return new URL(`${connection.settings.graphApiVersion}/${path}`, base);
}

function classify(status: number, body: unknown, text: string): GraphFailure {
  const error = GraphError.safeParse(body).data?.error;
  const code = error?.code;
  const details = error?.error_data?.details;
  const said = [error?.message, details !== error?.message ? details : undefined].filter(Boolean).join(' — ');
  const words = said || `HTTP ${status}${text.trim() ? `: ${text.trim().slice(0, 200)}` : ''}`;
  const failure = { status, ...(code === undefined ? {} : { code }), words };
  if (status === 401 || code === 190) return { kind: 'token', ...failure };
  if (status === 429 || status >= 500 || (code !== undefined && THROTTLING_CODES.has(code))) {
    return { kind: 'busy', ...failure };
  }
  return { kind: 'refused', ...failure };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
  const cause = error.cause instanceof Error ? error.cause : undefined;
  const code = cause && 'code' in cause && typeof cause.code === 'string' ? ` (${cause.code})` : '';
  return cause ? `${cause.message}${code}` : error.message;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
