import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ShortcutAccepted, ShortcutRequest } from '../../../contract/events.ts';
import type { EngineApi } from '../../../runtime/engine-api.ts';
import { apiErrors, ErrorBody, notFoundError } from '../../error-body.ts';
import { roleRoute } from '../../route-config.ts';
import { IdParams } from '../params.ts';

/** `/workflows/:id/shortcut`: an agent starts a run by hand (the other trigger is `/events`). */
export const shortcutRoutes: FastifyPluginAsyncZod<{ engine: EngineApi }> = async (app, { engine }) => {
  app.post(
    '/workflows/:id/shortcut',
    {
      config: roleRoute('run'),
      schema: {
        tags: ['triggers'],
        summary: 'An agent runs this workflow for the conversation in front of them',
        params: IdParams,
        body: ShortcutRequest,
        response: {
          202: ShortcutAccepted,
          ...apiErrors,
          ...notFoundError,
          409: ErrorBody.describe(
            'WORKFLOW_NOT_PUBLISHED; NOT_A_SHORTCUT_WORKFLOW: another trigger starts it; NOT_ENROLLED: details.reason says why (active: the conversation is already in a run of it; once, after: the re-enrolment rule; duplicate: the eventId was used before)',
          ),
        },
      },
    },
    async (request, reply) =>
      reply.code(202).send({ runId: await engine.triggers.shortcut(request.params.id, request.body) }),
  );
};
