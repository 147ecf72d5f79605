import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RunAccepted, RunDetail, RunQuery, RunReply, RunRetryBody, RunSummary } from '../../contract/runs.ts';
import type { EngineApi } from '../../runtime/engine-api.ts';
import { authorOf } from '../actor.ts';
import { apiErrors, ErrorBody, notFoundError } from '../error-body.ts';
import { roleRoute } from '../route-config.ts';
import { IdParams } from './params.ts';
import { EditorHeaders } from './workflows/drafts.ts';

const tags = ['runs'];

/** `X-Editor-Name` of a retry: who it is shown as in the run's log. */
export const RetryHeaders = EditorHeaders.extend({
  'x-editor-name': EditorHeaders.shape['x-editor-name'].describe(
    "Who retries, shown in the run's log (percent-encoded UTF-8, at most 100 characters kept); display only, never checked",
  ),
});

/** Why a retry is refused, in OpenAPI. */
export const retryRefusals = ErrorBody.describe(
  'RUN_NOT_RETRYABLE: the run has not ended by a failure, or the step cannot run again (the message says why); RUN_BUSY: a job holds the run, retry',
);

/** Run history, cancelling, retrying, and the simulator's replies (its runs start at `/workflows/:id/simulate`). */
export const runRoutes: FastifyPluginAsyncZod<{ engine: EngineApi }> = async (app, { engine }) => {
  app.get(
    '/runs',
    {
      config: roleRoute('read'),
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
      config: roleRoute('read'),
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
      config: roleRoute('editor'),
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
    '/runs/:id/retry',
    {
      config: roleRoute('editor'),
      schema: {
        tags,
        summary: 'Run an ended run again from a step it failed at or left by a failure exit',
        description:
          'Same variables; on the workflow’s current published version, which must still have the step. ' +
          'The step and the steps after it run again; the retry and the new attempt are added to the run’s log. ' +
          'Default step: the one the run failed at, else the last it left by a failure exit.',
        params: IdParams,
        headers: RetryHeaders,
        body: RunRetryBody,
        response: { 200: RunDetail, ...apiErrors, ...notFoundError, 409: retryRefusals },
      },
    },
    async (request) => engine.runs.retry(request.params.id, request.body.nodeId, authorOf(request)),
  );

  app.post(
    '/runs/:id/reply',
    {
      config: roleRoute('editor'),
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
