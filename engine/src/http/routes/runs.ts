import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RunAccepted, RunDetail, RunQuery, RunReply, RunSummary } from '../../contract/runs.ts';
import type { EngineApi } from '../../runtime/engine-api.ts';
import { apiErrors, ErrorBody, notFoundError } from '../error-body.ts';
import { apiKeyRoute } from '../route-config.ts';
import { IdParams } from './params.ts';

const tags = ['runs'];

/** Run history, cancelling, and the simulator's replies (its runs start at `/workflows/:id/simulate`). */
export const runRoutes: FastifyPluginAsyncZod<{ engine: EngineApi }> = async (app, { engine }) => {
  app.get(
    '/runs',
    {
      config: apiKeyRoute,
      schema: {
        tags,
        summary: 'Runs, newest first',
        description:
          'A page of the matching runs from `offset`. `X-Total-Count` says how many match in all; ' +
          'with `X-Total-Exact: false` it is a lower bound (filters that read each run stop counting after 5,000 runs).',
        querystring: RunQuery,
        response: { 200: z.array(RunSummary), ...apiErrors },
      },
    },
    async (request, reply) => {
      const page = await engine.runs.page(request.query);
      // Headers, not an envelope: the body stays the list every caller reads.
      return reply
        .header('x-total-count', String(page.total))
        .header('x-total-exact', String(page.exact))
        .send(page.runs);
    },
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
        response: {
          200: RunDetail,
          ...apiErrors,
          ...notFoundError,
          409: ErrorBody.describe('RUN_ENDED: the run already ended; RUN_BUSY: it is executing a step, retry'),
        },
      },
    },
    async (request) => engine.runs.cancel(request.params.id),
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
        response: {
          202: RunAccepted,
          ...apiErrors,
          400: ErrorBody.describe(
            'Bad input: the message names each bad field by its path; NOT_A_TEST_RUN: the run is not a test run',
          ),
          ...notFoundError,
          409: ErrorBody.describe('RUN_ENDED: the test run has ended, start a new one'),
        },
      },
    },
    async (request, reply) => {
      await engine.runs.reply(request.params.id, request.body.text);
      return reply.code(202).send({ runId: request.params.id });
    },
  );
};
