import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ValidationReport, WorkflowListItem, WorkflowRecord } from '../../../contract/workflows.ts';
import type { EngineApi } from '../../../runtime/engine-api.ts';
import { WorkflowInput } from '../../../workflow/schema.ts';
import { apiErrors, ErrorBody, notFoundError } from '../../error-body.ts';
import { apiKeyRoute } from '../../route-config.ts';
import { IdParams } from '../params.ts';

const tags = ['workflows'];
/** The editor sends `{}` (or nothing) to validate the stored draft, or its unsaved draft. */
const ValidateBody = z.preprocess(
  (body) => (isNoDraft(body) ? undefined : body),
  WorkflowInput.optional().describe('The unsaved draft; omit (or send {}) to validate the stored draft'),
);

/** `/workflows` and `/workflows/:id`: creating, reading, replacing and validating drafts. */
export const draftRoutes: FastifyPluginAsyncZod<{ engine: EngineApi }> = async (app, { engine }) => {
  app.post(
    '/workflows',
    {
      config: apiKeyRoute,
      schema: {
        tags,
        summary: 'Create a workflow draft (drafts may be invalid; publishing validates)',
        body: WorkflowInput,
        response: { 201: WorkflowRecord, ...apiErrors, 409: ErrorBody.describe('WORKFLOW_ID_TAKEN: the id is taken') },
      },
    },
    async (request, reply) => reply.code(201).send(await engine.workflows.create(request.body)),
  );

  app.get(
    '/workflows',
    {
      config: apiKeyRoute,
      schema: { tags, summary: 'List workflows', response: { 200: z.array(WorkflowListItem), ...apiErrors } },
    },
    async () => engine.workflows.list(),
  );

  app.get(
    '/workflows/:id',
    {
      config: apiKeyRoute,
      schema: {
        tags,
        summary: 'A workflow: its draft and publishing facts',
        params: IdParams,
        response: { 200: WorkflowRecord, ...apiErrors, ...notFoundError },
      },
    },
    async (request) => engine.workflows.get(request.params.id),
  );

  app.put(
    '/workflows/:id',
    {
      config: apiKeyRoute,
      schema: {
        tags,
        summary: 'Replace the draft',
        params: IdParams,
        body: WorkflowInput,
        response: { 200: WorkflowRecord, ...apiErrors, ...notFoundError },
      },
    },
    async (request) => engine.workflows.update(request.params.id, request.body),
  );

  app.post(
    '/workflows/:id/validate',
    {
      config: apiKeyRoute,
      schema: {
        tags,
        summary: 'Validate the stored draft or the given one; 200 even when invalid',
        params: IdParams,
        body: ValidateBody,
        response: { 200: ValidationReport, ...apiErrors, ...notFoundError },
      },
    },
    async (request) => engine.workflows.validate(request.params.id, request.body),
  );
};

function isNoDraft(value: unknown): boolean {
  return value === null || (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0);
}
