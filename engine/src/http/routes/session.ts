import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Me, SignInInput } from '../../contract/accounts.ts';
import { AppError } from '../../errors.ts';
import type { EngineApi } from '../../runtime/engine-api.ts';
import { crossSite } from '../csrf.ts';
import { apiErrors, ErrorBody } from '../error-body.ts';
import { publicRoute } from '../route-config.ts';
import {
  type CookieSettings,
  clearSessionCookie,
  SESSION_COOKIE,
  sessionCookie,
  setSessionCookie,
} from '../session-cookie.ts';
import { NoContent } from './params.ts';

const tags = ['accounts'];

export interface SessionRouteOptions {
  engine: EngineApi;
  /** `PUBLIC_URL`: its pages may sign in (besides the request's own host), and https there makes the cookie `Secure`. */
  publicUrl: string | undefined;
}

/**
 * `/session`: signing in with e-mail and password (a `cf_session` cookie, a new one each time,
 * so a cookie planted before sign-in is worth nothing) and signing out. Public routes, with
 * their own checks: the password, the sign-in limits, and no call from another site.
 */
export const sessionRoutes: FastifyPluginAsyncZod<SessionRouteOptions> = async (app, { engine, publicUrl }) => {
  const cookie = cookieSettings(engine, publicUrl);
  app.post(
    '/session',
    {
      config: publicRoute,
      schema: {
        tags,
        summary:
          'Sign in with e-mail and password: sets the HttpOnly session cookie cf_session and answers who is signed in. Wrong e-mail and wrong password get the same answer; failed sign-ins are limited per account and per address (429 with Retry-After)',
        body: SignInInput,
        response: {
          200: Me,
          ...apiErrors,
          429: ErrorBody.describe('TOO_MANY_SIGN_INS: wait Retry-After seconds'),
        },
      },
    },
    async (request, reply) => {
      refuseCrossSite(request, publicUrl);
      const { sessionId, actor } = await engine.users.signIn(request.body, request.ip);
      const previous = sessionCookie(request.headers.cookie);
      // Signing in again (as someone else, too) ends the session the browser had.
      if (previous !== undefined) await engine.users.signOut(previous);
      setSessionCookie(request, reply, sessionId, cookie);
      request.log.info({ user: actor.id }, 'signed in');
      return actor;
    },
  );

  app.delete(
    '/session',
    {
      config: publicRoute,
      schema: {
        tags,
        summary: `Sign out: ends the session of the ${SESSION_COOKIE} cookie on the server and clears the cookie (nothing to do without one)`,
        response: { 204: NoContent, ...apiErrors },
      },
    },
    async (request, reply) => {
      refuseCrossSite(request, publicUrl);
      const sessionId = sessionCookie(request.headers.cookie);
      if (sessionId !== undefined) await engine.users.signOut(sessionId);
      clearSessionCookie(reply);
      return reply.code(204).send(null);
    },
  );
};

/** Signing in or out from another site's page is refused (login CSRF); scripts send no Origin and are not affected. */
export function refuseCrossSite(request: Parameters<typeof crossSite>[0], publicUrl: string | undefined): void {
  if (crossSite(request, publicUrl)) {
    throw new AppError(
      'FORBIDDEN',
      'Signing in or out from a page of another site is refused: open the editor at its own address.',
    );
  }
}

export function cookieSettings(engine: EngineApi, publicUrl: string | undefined): CookieSettings {
  return {
    publicHttps: publicUrl?.startsWith('https:') ?? false,
    maxAgeSeconds: Math.floor(engine.users.sessionLifetimeMs() / 1000),
  };
}
