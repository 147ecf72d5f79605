import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { AppError } from '../errors.ts';
import { checkSignature, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../signing/webhook-signature.ts';
import { bearerMatches } from './api-key.ts';
import { parseJsonBody } from './json-body.ts';
import { type RouteAuth, securityFor } from './route-config.ts';

export interface AuthOptions {
  apiKey: string;
  webhookSecret: string;
  /** Bearer token that reads `/metrics` without the API key. */
  metricsToken?: string;
  /** Refuse platform calls signed without `X-Signature-Timestamp`. */
  requireSignatureTimestamp: boolean;
  bodyLimit: number;
}

/**
 * Authenticates every request by the route Fastify matched (never by the URL text, which has
 * many spellings): the API key is checked when the request arrives, before any body is read; a
 * platform webhook's signature is checked over the raw body bytes before they are parsed.
 * A route that declares no auth mode stops the app from starting.
 */
export function installAuth(app: FastifyInstance, options: AuthOptions): void {
  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    routes.push(route);
    const auth = route.config?.auth;
    if (auth && route.schema) route.schema.security = securityFor(auth);
  });
  app.addHook('onReady', async () => {
    const undeclared = routes.filter((route) => route.config?.auth === undefined);
    if (undeclared.length > 0) {
      const names = undeclared.map((route) => `${[route.method].flat().join('|')} ${route.url}`).join(', ');
      throw new Error(`Routes without an auth mode (config.auth), refused: ${names}`);
    }
  });

  app.addHook('onRequest', async (request) => {
    // An unmatched request only reaches the not-found handler, which runs nothing.
    if (request.is404) return;
    const auth: RouteAuth | undefined = request.routeOptions.config.auth;
    switch (auth) {
      case 'public':
        return;
      case 'apiKey':
        return requireKey(request, [options.apiKey]);
      case 'metrics':
        return requireKey(request, [options.metricsToken, options.apiKey]);
      case 'signature':
        return requireJson(request);
      case 'channel':
        // The route's handler hands the raw body to the connection's adapter, which verifies it first.
        return;
      default:
        throw new AppError('UNAUTHORIZED', 'This route declares no way to authenticate, so it is refused.');
    }
  });

  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: options.bodyLimit },
    async (request: FastifyRequest, raw: Buffer) => {
      if (isSignedRoute(request)) requireSignature(request, raw, options);
      return parseJsonBody(raw);
    },
  );

  // A signed route called without a body never reached the parser above.
  app.addHook('preValidation', async (request) => {
    if (isSignedRoute(request) && !request.signedCall) requireSignature(request, Buffer.alloc(0), options);
  });
}

function requireKey(request: FastifyRequest, keys: (string | undefined)[]): void {
  const authorization = request.headers.authorization;
  if (keys.some((key) => key !== undefined && bearerMatches(key, authorization))) return;
  throw new AppError(
    'UNAUTHORIZED',
    request.routeOptions.config.auth === 'metrics'
      ? 'Missing or wrong token: send Authorization: Bearer <METRICS_TOKEN> (or the API key)'
      : 'Missing or wrong API key: send Authorization: Bearer <key> (printed at start, or API_KEY)',
  );
}

/** Signatures cover the raw JSON bytes; any other body would reach no parser that checks them. */
function requireJson(request: FastifyRequest): void {
  const type = request.headers['content-type'];
  if (type === undefined || /^application\/json\s*(;|$)/i.test(type)) return;
  throw new AppError('UNSUPPORTED_MEDIA_TYPE', { contentType: type, signed: true });
}

function requireSignature(request: FastifyRequest, raw: Buffer, options: AuthOptions): void {
  const check = checkSignature(
    raw,
    { signature: headerValue(request, SIGNATURE_HEADER), timestamp: headerValue(request, TIMESTAMP_HEADER) },
    options.webhookSecret,
    { requireTimestamp: options.requireSignatureTimestamp },
  );
  if (!check.ok) throw new AppError('BAD_SIGNATURE', check.reason);
  request.signedCall = { digest: check.digest };
}

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

const isSignedRoute = (request: FastifyRequest) => request.routeOptions.config.auth === 'signature';
