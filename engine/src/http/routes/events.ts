import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ConversationClosedEvent, EnrolledRuns, ShortcutAccepted, ShortcutRequest } from '../../contract/events.ts';
import type { EngineApi } from '../../runtime/engine-api.ts';
import { apiErrors, ErrorBody, notFoundError } from '../error-body.ts';
import { apiKeyRoute, signedRoute } from '../route-config.ts';
import { IdParams } from './params.ts';

const tags = ['triggers'];

/** The two ways a run starts: the platform's "conversation closed" webhook, an agent's shortcut. */
export const eventRoutes: FastifyPluginAsyncZod<{ engine: EngineApi }> = async (app, { engine }) => {
  app.post(
    '/events/conversation-closed',
    {
      config: signedRoute,
      schema: {
        tags,
        summary:
          'A conversation closed (platform webhook, HMAC-signed): enrolls it in every matching published workflow',
        body: ConversationClosedEvent,
        response: { 202: EnrolledRuns, ...apiErrors },
      },
    },
    async (request, reply) => reply.code(202).send({ runs: await engine.triggers.conversationClosed(request.body) }),
  );

  app.post(
    '/workflows/:id/shortcut',
    {
      config: apiKeyRoute,
      schema: {
        tags,
        summary: 'An agent runs this workflow for the conversation in front of them',
        params: IdParams,
        body: ShortcutRequest,
        response: {
          202: ShortcutAccepted,
          ...apiErrors,
          ...notFoundError,
          409: ErrorBody.describe('Not published, or the conversation is already in a run of it'),
        },
      },
    },
    async (request, reply) =>
      reply.code(202).send({ runId: await engine.triggers.shortcut(request.params.id, request.body) }),
  );
};
