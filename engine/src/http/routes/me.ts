import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Me } from '../../contract/accounts.ts';
import { apiErrors } from '../error-body.ts';
import { roleRoute } from '../route-config.ts';

/** `GET /me`: who the key belongs to and its role, so the editor shows what that role can do. */
export const meRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/me',
    {
      config: roleRoute('any'),
      schema: {
        tags: ['accounts'],
        summary: "The caller: the install's API key (an owner), or a named key with its name and role",
        response: { 200: Me, ...apiErrors },
      },
    },
    async (request) => {
      // The auth hook sets it on every API-key route before a handler runs.
      if (!request.actor) throw new Error('GET /me was reached without an actor');
      return request.actor;
    },
  );
};
