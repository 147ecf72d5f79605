import type { Json, StepData } from '@convoflow/engine';
import { type OutgoingRequest, SENSITIVE_HEADERS, type SendResult } from './send.ts';

/**
 * What the run log shows of the call: the request as sent and the response. The caller masks
 * the secrets filled into headers (and any the server echoes back); credentials typed into a
 * header by name (`Authorization: Bearer …` without a `{{secret:…}}`) are hidden here.
 */
export function exchangeOf(outgoing: OutgoingRequest, result: SendResult): StepData {
  const received: Json =
    result.kind === 'error'
      ? { error: result.message }
      : {
          status: result.status,
          ...(result.contentType === undefined ? {} : { headers: { 'content-type': result.contentType } }),
          body: result.body,
        };
  return { sent: sentOf(outgoing), received };
}

function sentOf(outgoing: OutgoingRequest): Json {
  const secret = new Set(outgoing.secretHeaders?.map((name) => name.toLowerCase()));
  const headers = Object.fromEntries(
    Object.entries(outgoing.headers).map(([name, value]) => {
      const lower = name.toLowerCase();
      return [name, !secret.has(lower) && SENSITIVE_HEADERS.includes(lower) ? '[hidden]' : value];
    }),
  );
  return {
    method: outgoing.method,
    url: redactedUrl(outgoing.url),
    headers,
    ...(outgoing.body === undefined ? {} : { body: readable(outgoing.body) }),
  };
}

/** A JSON body as its value, so the run detail shows it indented; any other body as its text. */
function readable(body: string): Json {
  if (!/^\s*[[{]/.test(body)) return body;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/** Notes and the run log keep query strings (tokens often ride there) and credentials out. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}${parsed.search ? '?…' : ''}`;
  } catch {
    return url.length > 100 ? `${url.slice(0, 97)}…` : url;
  }
}
