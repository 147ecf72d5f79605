import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AlertTestRequest, AlertTestResult } from '../../contract/alerts.ts';
import type { EngineApi } from '../../runtime/engine-api.ts';
import { apiErrors, notFoundError } from '../error-body.ts';
import { roleRoute } from '../route-config.ts';
import { IdParams } from './params.ts';

/** `POST /workflows/:id/alerts/test`: the workflow settings' "Send test alert". */
export const alertRoutes: FastifyPluginAsyncZod<{ engine: EngineApi }> = async (app, { engine }) => {
  app.post(
    '/workflows/:id/alerts/test',
    {
      config: roleRoute('editor'),
      schema: {
        tags: ['workflows'],
        summary:
          'Send a test alert to each destination of the given failure-alert settings (saved or not) and say what each answered; records nothing',
        params: IdParams,
        body: AlertTestRequest,
        response: { 200: AlertTestResult, ...apiErrors, ...notFoundError },
      },
    },
    async (request) => engine.alerts.test(request.params.id, request.body.alerts),
  );
};
