import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CsatQuery, CsatReport } from '../../../contract/analytics.ts';
import type { EngineApi } from '../../../runtime/engine-api.ts';
import { apiErrors, notFoundError } from '../../error-body.ts';
import { roleRoute } from '../../route-config.ts';
import { IdParams } from '../params.ts';

const tags = ['analytics'];
/** `/workflows/:id/csat`: the CSAT (or NPS, CES) figure of a survey question, and its answers as CSV. */
export const csatRoutes: FastifyPluginAsyncZod<{ engine: EngineApi }> = async (app, { engine }) => {
  app.get(
    '/workflows/:id/csat',
    {
      config: roleRoute('read'),
      schema: {
        tags,
        summary: 'Asked, answered, response rate, score, distribution, by day, agent, channel, connection and inbox',
        params: IdParams,
        querystring: CsatQuery,
        response: { 200: CsatReport, ...apiErrors, ...notFoundError },
      },
    },
    async (request) => engine.analytics.csat(request.params.id, request.query),
  );

  app.get(
    '/workflows/:id/csat/answers.csv',
    {
      config: roleRoute('read'),
      schema: {
        tags,
        summary: 'One CSV line per answer: date, conversation, contact, agent, channel, connection, inbox, value',
        params: IdParams,
        querystring: CsatQuery,
        response: {
          200: { description: 'CSV, one answer per line', content: { 'text/csv': { schema: z.string() } } },
          ...apiErrors,
          ...notFoundError,
        },
      },
    },
    async (request, reply) => {
      const csv = await engine.analytics.answersCsv(request.params.id, request.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${csvFileName(request.params.id)}"`)
        .send(csv);
    },
  );
};

/** A file name safe inside a quoted header value, whatever the id holds. */
function csvFileName(workflowId: string): string {
  return `${workflowId.replace(/[^A-Za-z0-9_-]/g, '_')}-answers.csv`;
}
