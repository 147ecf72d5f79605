import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { InboundAccepted, InboundMessage } from '../../contract/events.ts';
import type { EngineApi } from '../../runtime/engine-api.ts';
import { apiErrors } from '../error-body.ts';
import { signedRoute } from '../route-config.ts';

/** A contact's reply relayed by the platform; resumes the run waiting on that conversation. */
export const messageRoutes: FastifyPluginAsyncZod<{ engine: EngineApi }> = async (app, { engine }) => {
  app.post(
    '/messages/inbound',
    {
      config: signedRoute,
      schema: {
        tags: ['triggers'],
        summary: "A contact's reply (platform webhook, HMAC-signed); runId is null when no run waits on it",
        body: InboundMessage,
        response: { 202: InboundAccepted, ...apiErrors },
      },
    },
    async (request, reply) =>
      reply.code(202).send({ runId: await engine.inbound(request.body, request.signedCall?.digest) }),
  );
};
