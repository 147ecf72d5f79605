import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { RunAccepted, SimulationRequest } from '../../../contract/runs.ts';
import type { EngineApi } from '../../../runtime/engine-api.ts';
import { apiErrors, notFoundError } from '../../error-body.ts';
import { roleRoute } from '../../route-config.ts';
import { IdParams } from '../params.ts';

/** `/workflows/:id/simulate`: the editor's simulator; its replies go to `/runs/:id/reply`. */
export const simulateRoutes: FastifyPluginAsyncZod<{ engine: EngineApi }> = async (app, { engine }) => {
  app.post(
    '/workflows/:id/simulate',
    {
      config: roleRoute('editor'),
      schema: {
        tags: ['runs'],
        summary: "Start a test run of the saved draft (the editor's simulator); sends nothing to the platform",
        params: IdParams,
        body: SimulationRequest.prefault({}),
        response: { 202: RunAccepted, ...apiErrors, ...notFoundError },
      },
    },
    async (request, reply) =>
      reply.code(202).send({ runId: await engine.triggers.simulate(request.params.id, request.body) }),
  );
};
