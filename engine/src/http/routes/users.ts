import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AccountLink, InviteInput, UserPatch, UserSummary } from '../../contract/accounts.ts';
import type { EngineApi } from '../../runtime/engine-api.ts';
import { auditor } from '../audit.ts';
import { apiErrors, ErrorBody, notFoundError } from '../error-body.ts';
import { roleRoute } from '../route-config.ts';
import { IdParams } from './params.ts';

const tags = ['accounts'];
const conflict = { 409: ErrorBody.describe('EMAIL_TAKEN or LAST_OWNER, in words') } as const;

/**
 * `/users`: the owner's page of people. Every answer goes through `UserSummary`, which has no
 * field for a password hash or a session; a link's token is only in the answer that made it.
 */
export const userRoutes: FastifyPluginAsyncZod<{ engine: EngineApi }> = async (app, { engine }) => {
  const audit = auditor(engine);
  app.get(
    '/users',
    {
      config: roleRoute('owner'),
      schema: {
        tags,
        summary:
          'The people with an account, oldest first: role, last sign-in, pending invitations and deactivated accounts',
        response: { 200: z.array(UserSummary), ...apiErrors },
      },
    },
    async () => engine.users.list(),
  );

  app.post(
    '/users',
    {
      config: roleRoute('owner'),
      schema: {
        tags,
        summary:
          'Invite a person: a pending account and a one-time link (24 hours) for them to set a password. No e-mail is sent: hand the link over',
        body: InviteInput,
        response: { 201: z.object({ user: UserSummary, link: AccountLink }), ...apiErrors, ...conflict },
      },
    },
    async (request, reply) => {
      const invited = await engine.users.invite(request.body);
      await audit(request, 'user.invited', targetOf(invited.user), { role: invited.user.role });
      return reply.code(201).header('cache-control', 'no-store').send(invited);
    },
  );

  app.patch(
    '/users/:id',
    {
      config: roleRoute('owner'),
      schema: {
        tags,
        summary:
          'Change a role, deactivate (signs the person out everywhere) or reactivate; refused (409 LAST_OWNER) when it would leave no active owner',
        params: IdParams,
        body: UserPatch,
        response: { 200: UserSummary, ...apiErrors, ...notFoundError, ...conflict },
      },
    },
    async (request) => {
      const { before, after } = await engine.users.change(request.params.id, request.body);
      if (after.deactivatedAt !== null && before.deactivatedAt === null) {
        await audit(request, 'user.deactivated', targetOf(after));
      }
      const reactivated = after.deactivatedAt === null && before.deactivatedAt !== null;
      if (before.role !== after.role || reactivated) {
        await audit(request, 'user.changed', targetOf(after), {
          ...(before.role === after.role ? {} : { from: before.role, role: after.role }),
          ...(reactivated ? { reactivated: true } : {}),
        });
      }
      return after;
    },
  );

  app.post(
    '/users/:id/reset-link',
    {
      config: roleRoute('owner'),
      schema: {
        tags,
        summary:
          'A one-time link (24 hours) for the person to set a new password, replacing any earlier one; using it ends their sessions. For a pending invitation, a new invitation link',
        params: IdParams,
        response: { 200: AccountLink, ...apiErrors, ...notFoundError },
      },
    },
    async (request, reply) => {
      const { user, link } = await engine.users.resetLink(request.params.id);
      await audit(request, 'user.changed', targetOf(user), { resetLink: true });
      return reply.header('cache-control', 'no-store').send(link);
    },
  );
};

const targetOf = (user: UserSummary) => ({ kind: 'user' as const, id: user.id, name: user.name });
