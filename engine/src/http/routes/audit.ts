import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AuditCsvQuery, AuditPage, AuditQuery } from '../../contract/accounts.ts';
import type { EngineApi } from '../../runtime/engine-api.ts';
import { apiErrors } from '../error-body.ts';
import { roleRoute } from '../route-config.ts';

const tags = ['audit'];
/** The audit log, for owners: who changed which workflow, connection or key, and when. */
export const auditRoutes: FastifyPluginAsyncZod<{ engine: EngineApi }> = async (app, { engine }) => {
  app.get(
    '/audit',
    {
      config: roleRoute('owner'),
      schema: {
        tags,
        summary:
          'The audit log, newest first, a page at a time: pass the last entry id as before for the next page; filters: from, to, action',
        querystring: AuditQuery,
        response: { 200: AuditPage, ...apiErrors },
      },
    },
    async (request) => engine.audit.page(request.query),
  );

  app.get(
    '/audit.csv',
    {
      config: roleRoute('owner'),
      schema: {
        tags,
        summary:
          'Every audit log entry matching the filters (from, to, action), newest first, as CSV: time, actor name, actor kind, role, action, target kind, target id, target name, details (JSON)',
        querystring: AuditCsvQuery,
        response: {
          200: { description: 'CSV, one entry per line', content: { 'text/csv': { schema: z.string() } } },
          ...apiErrors,
        },
      },
    },
    async (request, reply) => {
      const csv = await engine.audit.csv(request.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="audit-log.csv"')
        .send(csv);
    },
  );
};
