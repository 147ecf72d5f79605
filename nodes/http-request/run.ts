import {
  defineRunner,
  findSecretReferences,
  findVariables,
  type Json,
  maskJson,
  maskText,
  renderText,
  renderWithSecrets,
  resolveSecrets,
  type Scope,
  type SecretValues,
  type StepContext,
  StepError,
  type StepOutcome,
} from '@convoflow/engine';
import { outboundDispatcher } from '@convoflow/engine/net';
import { type HttpRequestData, headerSecrets, httpRequest } from './definition.ts';
import { exchangeOf, redactedUrl } from './exchange.ts';
import { type OutgoingRequest, type SendResult, send } from './send.ts';

export const httpRequestRunner = defineRunner(httpRequest, {
  async run(ctx) {
    let secrets: SecretValues;
    try {
      const ids = headerSecrets(ctx.data).map((reference) => reference.connectionId);
      secrets = await resolveSecrets(ctx.services.connections, ids);
    } catch (error) {
      // Not the step's failure (Redis unreachable): let the engine retry the step.
      if (!(error instanceof StepError)) throw error;
      return { type: 'exit', exit: 'failure', note: `A header's {{secret:…}} cannot be filled in: ${error.message}` };
    }
    let outgoing: OutgoingRequest;
    try {
      outgoing = buildRequest(ctx, secrets);
    } catch (error) {
      const note = error instanceof Error ? error.message : String(error);
      return { type: 'exit', exit: 'failure', note: maskText(note, secrets) };
    }
    const result = await send(outgoing, {
      dispatcher: outboundDispatcher(ctx.services.allowPrivateNetwork),
      timeoutMs: ctx.data.timeoutMs,
      retries: ctx.data.retries,
      signal: ctx.signal,
      onRetry: (message) =>
        ctx.log.warn(maskText(`${outgoing.method} ${redactedUrl(outgoing.url)}: ${message}`, secrets)),
    });
    return masked(outcome(ctx.data, outgoing, result), secrets);
  },
});

/** The step log and the run's variables never hold a secret, even one the server echoes back. */
function masked(exit: Extract<StepOutcome, { type: 'exit' }>, secrets: SecretValues): StepOutcome {
  if (secrets.size === 0) return exit;
  const { note, variables, sent, received } = exit;
  return {
    ...exit,
    ...(note === undefined ? {} : { note: maskText(note, secrets) }),
    ...(sent === undefined ? {} : { sent: maskJson(sent, secrets) }),
    ...(received === undefined ? {} : { received: maskJson(received, secrets) }),
    ...(variables === undefined
      ? {}
      : { variables: Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, maskJson(v, secrets)])) }),
  };
}

function outcome(
  data: HttpRequestData,
  outgoing: OutgoingRequest,
  result: SendResult,
): Extract<StepOutcome, { type: 'exit' }> {
  const target = `${outgoing.method} ${redactedUrl(outgoing.url)}`;
  const tries = result.attempts > 1 ? ` after ${result.attempts} attempts` : '';
  if (result.kind === 'error') {
    return {
      type: 'exit',
      exit: 'failure',
      note: `${target} failed${tries}: ${result.message}`,
      ...saved(data, 0, null),
      ...exchangeOf(outgoing, result),
    };
  }
  const ok = result.status >= 200 && result.status < 300;
  const details = [result.note, result.truncated ? 'response body truncated at 256 KB' : undefined].filter(Boolean);
  return {
    type: 'exit',
    exit: ok ? 'success' : 'failure',
    note: `${target} → HTTP ${result.status}${tries}${details.length ? ` (${details.join('; ')})` : ''}`,
    ...saved(data, result.status, result.body),
    ...exchangeOf(outgoing, result),
  };
}

/** `$<saveResponseAs>.status` and `.body`; status 0 and body null when no response came. */
function saved(data: HttpRequestData, status: number, body: Json): { variables?: Record<string, Json> } {
  return data.saveResponseAs ? { variables: { [data.saveResponseAs]: { status, body } } } : {};
}

function buildRequest(ctx: StepContext<HttpRequestData>, secrets: SecretValues): OutgoingRequest {
  const { data } = ctx;
  const url = renderUrl(ctx);
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new Error(`"${redactedUrl(url)}" is not an http(s) URL after filling in its variables`);
  }
  const headers: Record<string, string> = {};
  const secretHeaders: string[] = [];
  for (const header of data.headers) {
    const value = renderWithSecrets(header.value, secrets, ctx.render);
    if (/[\r\n]/.test(value)) throw new Error(`header ${header.name} would contain a line break; refusing to send it`);
    headers[header.name] = value;
    if (findSecretReferences(header.value).length > 0) secretHeaders.push(header.name);
  }
  if (!hasHeader(headers, 'idempotency-key')) headers['Idempotency-Key'] = ctx.idempotencyKey;
  if (data.body === undefined || data.body.trim() === '' || data.method === 'GET') {
    return { method: data.method, url, headers, secretHeaders };
  }
  const contentType = headerOf(headers, 'content-type');
  const json = contentType ? /json/i.test(contentType) : /^\s*[[{]/.test(data.body);
  if (!contentType) headers['Content-Type'] = json ? 'application/json' : 'text/plain; charset=utf-8';
  if (!json) return { method: data.method, url, headers, secretHeaders, body: ctx.render(data.body) };
  const body = ctx.renderJson(data.body);
  if (!isJson(body))
    ctx.log.warn('The JSON body is not valid JSON after filling in its variables; sending it as it is.');
  return { method: data.method, url, headers, secretHeaders, body };
}

/**
 * A URL that is one variable (`$crm.callbackUrl`) is used as the variable holds it. Otherwise
 * each value inserted into the URL is percent-encoded, so a contact's name like "A&B #1"
 * cannot add query parameters or cut the URL.
 */
function renderUrl(ctx: StepContext<HttpRequestData>): string {
  const template = ctx.data.url;
  const variables = findVariables(template);
  if (variables.length === 1 && template.trim() === `$${variables[0]}`) return ctx.render(template).trim();
  return renderText(template, encodeLeaves(ctx.scope), (path) =>
    ctx.log.warn(`Variable "$${path}" is not set; it was rendered empty.`),
  );
}

function encodeLeaves(scope: Readonly<Scope>): Scope {
  const encode = (value: unknown): unknown => {
    if (value === null || value === undefined) return value;
    if (Array.isArray(value)) return value.map(encode);
    if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
    return encodeURIComponent(String(value));
  };
  return Object.fromEntries(Object.entries(scope).map(([key, value]) => [key, encode(value)]));
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function headerOf(headers: Record<string, string>, name: string): string | undefined {
  return Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return headerOf(headers, name) !== undefined;
}
