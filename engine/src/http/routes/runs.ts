import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RunDetail, RunQuery, RunReply, RunSummary, SimulationRequest } from '../../contract/runs.ts';
import type { EngineApi } from '../../runtime/engine-api.ts';
import { apiErrors, ErrorBody, notFoundError } from '../error-body.ts';
import { apiKeyRoute } from '../route-config.ts';
import { IdParams } from './params.ts';

const tags = ['runs'];
const RunAccepted = z.object({ runId: z.string() });

/** Run history, cancelling, and the editor's simulator (test runs of the draft). */
export const runRoutes: FastifyPluginAsyncZod<{ engine: EngineApi }> = async (app, { engine }) => {
  app.get(
    '/runs',
    {
      config: apiKeyRoute,
      schema: {
        tags,
        summary: 'Runs, newest first',
        querystring: RunQuery,
        response: { 200: z.array(RunSummary), ...apiErrors },
      },
    },
    async (request) => engine.runs.list(request.query),
  );

  app.get(
    '/runs/:id',
    {
      config: apiKeyRoute,
      schema: {
        tags,
        summary: 'A run with its variables, step log and transcript',
        params: IdParams,
        response: { 200: RunDetail, ...apiErrors, ...notFoundError },
      },
    },
    async (request) => engine.runs.get(request.params.id),
  );

  app.post(
    '/runs/:id/cancel',
    {
      config: apiKeyRoute,
      schema: {
        tags,
        summary: 'Cancel a run that has not ended',
        params: IdParams,
        response: { 200: RunDetail, ...apiErrors, ...notFoundError, 409: ErrorBody.describe('The run already ended') },
      },
    },
    async (request) => engine.runs.cancel(request.params.id),
  );

  app.post(
    '/workflows/:id/simulate',
    {
      config: apiKeyRoute,
      schema: {
        tags,
        summary: "Start a test run of the saved draft (the editor's simulator); sends nothing to the platform",
        params: IdParams,
        body: SimulationRequest.prefault({}),
        response: { 202: RunAccepted, ...apiErrors, ...notFoundError },
      },
    },
    async (request, reply) =>
      reply.code(202).send({ runId: await engine.triggers.simulate(request.params.id, request.body) }),
  );

  app.post(
    '/runs/:id/reply',
    {
      config: apiKeyRoute,
      schema: {
        tags,
        summary: 'Answer a test run as the contact (simulator only)',
        params: IdParams,
        body: RunReply,
        response: { 202: RunAccepted, ...apiErrors, ...notFoundError, 409: ErrorBody.describe('Not a test run') },
      },
    },
    async (request, reply) => {
      await engine.runs.reply(request.params.id, request.body.text);
      return reply.code(202).send({ runId: request.params.id });
    },
  );
};
