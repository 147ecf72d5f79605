import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { KeyCheck } from '../accounts/api-key-auth.ts';
import { identifyCaller, identifySession } from '../accounts/caller.ts';
import type { SessionCheck } from '../accounts/user-accounts.ts';
import { RouteRole, roleAllows } from '../contract/accounts.ts';
import { AppError } from '../errors.ts';
import { checkSignature, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../signing/webhook-signature.ts';
import { editorName } from './actor.ts';
import { bearerMatches, bearerToken } from './api-key.ts';
import { requireSameOrigin } from './csrf.ts';
import { parseJsonBody } from './json-body.ts';
import { type RouteAuth, roleSentence, securityFor } from './route-config.ts';
import { sessionCookie } from './session-cookie.ts';

export interface AuthOptions {
  /** The install's `API_KEY`: owner-level. */
  apiKey: string;
  /** Checks a named API key (`cfk_…`); absent: only the install's key is accepted. */
  checkKey?: (token: string) => Promise<KeyCheck>;
  /** Checks a signed-in browser's session cookie; absent: only keys are accepted. */
  checkSession?: (sessionId: string) => Promise<SessionCheck>;
  /** `PUBLIC_URL`: a page there may make signed-in calls (besides pages of the request's own host). */
  publicUrl?: string;
  webhookSecret: string;
  /** Bearer token that reads `/metrics` without the API key. */
  metricsToken?: string;
  /** Refuse platform calls signed without `X-Signature-Timestamp`. */
  requireSignatureTimestamp: boolean;
  bodyLimit: number;
}

/**
 * Authenticates every request by the route Fastify matched (never by the URL text, which has
 * many spellings): the API key is checked when the request arrives, before any body is read,
 * and its role against the role the route asks for; a platform webhook's signature is checked
 * over the raw body bytes before they are parsed. A route that declares no auth mode, or an
 * API-key route that declares no role, stops the app from starting.
 */
export function installAuth(app: FastifyInstance, options: AuthOptions): void {
  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    routes.push(route);
    const { auth, role } = route.config ?? {};
    if (!auth || !route.schema) return;
    route.schema.security = securityFor(auth);
    // The document says what the auth hook checks, from the same declaration.
    if (auth === 'apiKey' && role) {
      Object.assign(route.schema, {
        'x-required-role': role,
        description: [route.schema.description, roleSentence(role)].filter(Boolean).join('\n\n'),
      });
    }
  });
  app.addHook('onReady', async () => {
    refuseUndeclared(routes, (route) => route.config?.auth === undefined, 'an auth mode (config.auth)');
    refuseUndeclared(
      routes,
      (route) => route.config?.auth === 'apiKey' && !RouteRole.safeParse(route.config.role).success,
      'a role (config.role)',
    );
  });

  app.addHook('onRequest', async (request) => {
    // An unmatched request only reaches the not-found handler, which runs nothing.
    if (request.is404) return;
    const auth: RouteAuth | undefined = request.routeOptions.config.auth;
    switch (auth) {
      case 'public':
        return;
      case 'apiKey':
        return requireRole(request, options);
      case 'metrics':
        return requireMetricsToken(request, [options.metricsToken, options.apiKey]);
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

/** Who calls (`request.actor`), and whether their role may call this route: 401 or 403 before anything runs. */
async function requireRole(request: FastifyRequest, options: AuthOptions): Promise<void> {
  const actor = await identify(request, options);
  request.actor = actor;
  // The startup check makes every API-key route declare one.
  const needed = request.routeOptions.config.role ?? 'owner';
  if (!roleAllows(actor.role, needed))
    throw new AppError('ROLE_REQUIRED', { needed, actor }, { needed, role: actor.role });
}

/**
 * A bearer token decides alone, as before accounts existed; without one, a browser's session
 * cookie, whose state-changing calls must come from this server's pages (CSRF).
 */
async function identify(request: FastifyRequest, options: AuthOptions) {
  const token = bearerToken(request.headers.authorization);
  const sessionId = token === undefined && options.checkSession ? sessionCookie(request.headers.cookie) : undefined;
  if (sessionId !== undefined) {
    const actor = await identifySession(sessionId, { installKey: options.apiKey, checkSession: options.checkSession });
    requireSameOrigin(request, options.publicUrl);
    return actor;
  }
  const name = request.headers['x-editor-name'];
  return identifyCaller(token, editorName(typeof name === 'string' ? name : undefined), {
    installKey: options.apiKey,
    checkKey: options.checkKey,
  });
}

function refuseUndeclared(routes: RouteOptions[], undeclared: (route: RouteOptions) => boolean, what: string): void {
  const names = routes.filter(undeclared).map((route) => `${[route.method].flat().join('|')} ${route.url}`);
  if (names.length > 0) throw new Error(`Routes without ${what}, refused: ${names.join(', ')}`);
}

function requireMetricsToken(request: FastifyRequest, keys: (string | undefined)[]): void {
  const authorization = request.headers.authorization;
  if (keys.some((key) => key !== undefined && bearerMatches(key, authorization))) return;
  throw new AppError(
    'UNAUTHORIZED',
    'Missing or wrong token: send Authorization: Bearer <METRICS_TOKEN> (or the API key)',
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
