import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { WorkflowTemplate } from '../../contract/templates.ts';
import { apiErrors } from '../error-body.ts';
import { roleRoute } from '../route-config.ts';

interface TemplateRouteOptions {
  /** The templates on offer; absent when the server ships none (API-only tests). */
  templates: (() => Promise<WorkflowTemplate[]>) | undefined;
}

/** `GET /templates`: the examples "New workflow" offers beside a blank workflow. */
export const templateRoutes: FastifyPluginAsyncZod<TemplateRouteOptions> = async (app, { templates }) => {
  app.get(
    '/templates',
    {
      config: roleRoute('read'),
      schema: {
        tags: ['workflows'],
        summary: 'Workflow templates (the shipped examples) to start a new workflow from',
        response: { 200: z.array(WorkflowTemplate), ...apiErrors },
      },
    },
    async () => (templates ? templates() : []),
  );
};
