import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RetireQuery, ValidationReport, WorkflowListItem, WorkflowRecord } from '../../contract/workflows.ts';
import type { EngineApi } from '../../runtime/engine-api.ts';
import { Workflow, WorkflowInput } from '../../workflow/schema.ts';
import { apiErrors, ErrorBody, notFoundError } from '../error-body.ts';
import { apiKeyRoute } from '../route-config.ts';
import { IdParams, NoContent } from './params.ts';

const tags = ['workflows'];
const activeRunsUndecided = {
  409: ErrorBody.describe(
    'ACTIVE_RUNS: the workflow has runs in progress and activeRuns was not given (details.activeRuns: how many); CONFLICT: some could not be cancelled yet, retry',
  ),
};
/** The editor sends `{}` (or nothing) to validate the stored draft, or its unsaved draft. */
const ValidateBody = z.preprocess(
  (body) => (isNoDraft(body) ? undefined : body),
  WorkflowInput.optional().describe('The unsaved draft; omit (or send {}) to validate the stored draft'),
);

const VersionParams = IdParams.extend({ version: z.coerce.number().int().min(1) });

/** Drafts, publishing and versions of workflows. */
export const workflowRoutes: FastifyPluginAsyncZod<{ engine: EngineApi }> = async (app, { engine }) => {
  app.post(
    '/workflows',
    {
      config: apiKeyRoute,
      schema: {
        tags,
        summary: 'Create a workflow draft (drafts may be invalid; publishing validates)',
        body: WorkflowInput,
        response: { 201: WorkflowRecord, ...apiErrors, 409: ErrorBody.describe('The id is taken') },
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

  app.delete(
    '/workflows/:id',
    {
      config: apiKeyRoute,
      schema: {
        tags,
        summary: 'Delete a workflow; versions that finishing runs use stay until those runs end',
        params: IdParams,
        querystring: RetireQuery,
        response: { 204: NoContent, ...apiErrors, ...notFoundError, ...activeRunsUndecided },
      },
    },
    async (request, reply) => {
      await engine.workflows.delete(request.params.id, request.query.activeRuns);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/workflows/:id/unpublish',
    {
      config: apiKeyRoute,
      schema: {
        tags,
        summary: 'Stop enrolling new conversations; the draft and versions stay, publishing again works',
        params: IdParams,
        querystring: RetireQuery,
        response: { 200: WorkflowRecord, ...apiErrors, ...notFoundError, ...activeRunsUndecided },
      },
    },
    async (request) => engine.workflows.unpublish(request.params.id, request.query.activeRuns),
  );

  app.post(
    '/workflows/:id/publish',
    {
      config: apiKeyRoute,
      schema: {
        tags,
        summary: 'Freeze the draft as the next version; 422 lists the problems by node',
        params: IdParams,
        response: {
          200: WorkflowRecord,
          ...apiErrors,
          ...notFoundError,
          422: ErrorBody.describe('WORKFLOW_INVALID: details.problems names each node to fix'),
        },
      },
    },
    async (request) => engine.workflows.publish(request.params.id),
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

  app.get(
    '/workflows/:id/versions/:version',
    {
      config: apiKeyRoute,
      schema: {
        tags,
        summary: 'A published version, as it was frozen',
        params: VersionParams,
        response: { 200: Workflow, ...apiErrors, ...notFoundError },
      },
    },
    async (request) => engine.workflows.getVersion(request.params.id, request.params.version),
  );
};

function isNoDraft(value: unknown): boolean {
  return value === null || (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0);
}
