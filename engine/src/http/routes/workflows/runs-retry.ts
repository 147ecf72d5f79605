import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { BULK_RETRY_LIMIT, BulkRetryRequest, BulkRetryResult } from '../../../contract/runs.ts';
import type { EngineApi } from '../../../runtime/engine-api.ts';
import { authorOf } from '../../actor.ts';
import { apiErrors, notFoundError } from '../../error-body.ts';
import { roleRoute } from '../../route-config.ts';
import { IdParams } from '../params.ts';
import { RetryHeaders } from '../runs.ts';

/** `/workflows/:id/runs/retry`: after an outage, every failed run of one step retried at once. */
export const runsRetryRoutes: FastifyPluginAsyncZod<{ engine: EngineApi }> = async (app, { engine }) => {
  app.post(
    '/workflows/:id/runs/retry',
    {
      config: roleRoute('editor'),
      schema: {
        tags: ['runs'],
        summary: 'Retry every ended run of the workflow that failed at a step (or left it by a failure exit)',
        description:
          `Each run as \`POST /runs/:id/retry\` with that step; test runs are left out. At most ${BULK_RETRY_LIMIT} runs per call, ` +
          'newest first: with `more: true`, send the same request again. Runs that cannot be retried are in `skipped` with the reason.',
        params: IdParams,
        headers: RetryHeaders,
        body: BulkRetryRequest,
        response: { 200: BulkRetryResult, ...apiErrors, ...notFoundError },
      },
    },
    async (request) => engine.runs.retryAll(request.params.id, request.body, authorOf(request)),
  );
};
