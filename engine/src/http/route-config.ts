import { type Actor, type RouteRole, rolesAllowed } from '../contract/accounts.ts';

/**
 * How a route authenticates its caller. Every route declares one (deny by default: the app
 * refuses to start with a route that does not), and the check runs on the route Fastify
 * matched, so no spelling of a path can reach a handler without it.
 * - `apiKey`: operator and agent calls, `Authorization: Bearer <key>` (the install's `API_KEY` or
 *   a named key) or a signed-in person's `cf_session` cookie, and the role the route asks of its caller (`role`, required with this mode);
 * - `signature`: platform webhooks, HMAC-signed raw body;
 * - `metrics`: Prometheus, `Authorization: Bearer <METRICS_TOKEN>` (or the API key);
 * - `channel`: a chat platform's call to a channel connection, verified by that channel's adapter
 *   on the raw body (its signature, a URL token, or a handshake) before anything else happens;
 * - `public`: probes, the editor's static files and the API documentation.
 */
export type RouteAuth = 'apiKey' | 'signature' | 'metrics' | 'channel' | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
    /** What an `apiKey` route asks of its caller's role: an `apiKey` route without one stops the app from starting. */
    role?: RouteRole;
  }
  interface FastifyRequest {
    /** Set once a platform signature was checked against the raw body. */
    signedCall?: { digest: string };
    /** Who made an operator or agent call (an `apiKey` route): set by the auth hook before the handler. */
    actor?: Actor;
  }
}

/** Route `config` of an operator or agent route: the key, and the role it asks for (see `rolesAllowed`). */
export const roleRoute = (role: RouteRole) => ({ auth: 'apiKey', role }) as const;
export const signedRoute = { auth: 'signature' } as const;
export const metricsRoute = { auth: 'metrics' } as const;
export const channelRoute = { auth: 'channel' } as const;
export const publicRoute = { auth: 'public' } as const;

/** The OpenAPI `security` of a route, derived from its auth mode so the two cannot disagree. */
export function securityFor(auth: RouteAuth): Record<string, string[]>[] {
  switch (auth) {
    case 'apiKey':
      return [{ bearer: [] }, { session: [] }];
    case 'signature':
      return [{ signature: [], signatureTimestamp: [] }, { signature: [] }];
    case 'metrics':
      return [{ metricsToken: [] }, { bearer: [] }];
    case 'channel':
      return [{ channelSignature: [] }, { channelToken: [] }];
    case 'public':
      return [];
  }
}

/** The sentence an operation's OpenAPI description gets, from the same declaration the auth hook checks. */
export function roleSentence(role: RouteRole): string {
  return `Role: ${role} — ${rolesAllowed[role].join(', ')}.`;
}
