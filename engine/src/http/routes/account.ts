import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AccountLinkInfo, Me, SetPasswordInput } from '../../contract/accounts.ts';
import type { EngineApi } from '../../runtime/engine-api.ts';
import { apiErrors, ErrorBody } from '../error-body.ts';
import { publicRoute } from '../route-config.ts';
import { setSessionCookie } from '../session-cookie.ts';
import { cookieSettings, refuseCrossSite } from './session.ts';

const tags = ['accounts'];
const tooMany = {
  429: ErrorBody.describe(
    'TOO_MANY_SIGN_INS: too many links that did not work from this address; wait Retry-After seconds',
  ),
};

/**
 * `/account`: what the holder of a one-time link (the owner's first start, an invitation, a
 * password reset) can do without being signed in. The link's 256-bit token is the credential;
 * used, it works no more.
 */
export const accountRoutes: FastifyPluginAsyncZod<{ engine: EngineApi; publicUrl: string | undefined }> = async (
  app,
  { engine, publicUrl },
) => {
  const cookie = cookieSettings(engine, publicUrl);
  app.get(
    '/account/link/:token',
    {
      config: publicRoute,
      // The token is in this route's path: the request log lines (info) would keep it.
      logLevel: 'warn',
      schema: {
        tags,
        summary:
          'What a one-time link is for (first start, invitation or reset) and, for the last two, whose account it is; 400 LINK_INVALID when it was used or expired (counted with failed sign-ins from the address: 429 past the limit). Does not use the link up',
        params: z.object({ token: z.string().min(1).max(200) }),
        response: { 200: AccountLinkInfo, ...apiErrors, ...tooMany },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return engine.users.linkInfo(request.params.token, request.ip);
    },
  );

  app.post(
    '/account/password',
    {
      config: publicRoute,
      schema: {
        tags,
        summary:
          "Use a one-time link: create the owner's account (first start: name and email too), accept an invitation, or set a new password after a reset (ending the account's other sessions). Signs in (the cf_session cookie); the link works no more",
        body: SetPasswordInput,
        response: { 200: Me, ...apiErrors, ...tooMany },
      },
    },
    async (request, reply) => {
      refuseCrossSite(request, publicUrl);
      const { sessionId, actor, created } = await engine.users.setPassword(request.body, request.ip);
      request.log.info({ user: actor.id, created }, 'password set with a one-time link');
      setSessionCookie(request, reply, sessionId, cookie);
      return actor;
    },
  );
};
