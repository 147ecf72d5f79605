import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ConversationClosedEvent, EnrolledRuns } from '../../contract/events.ts';
import type { EngineApi } from '../../runtime/engine-api.ts';
import { apiErrors } from '../error-body.ts';
import { signedRoute } from '../route-config.ts';

const tags = ['triggers'];

/** The platform's "conversation closed" webhook; the other way a run starts is `/workflows/:id/shortcut`. */
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
};
