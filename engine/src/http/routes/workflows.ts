import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ValidationReport, WorkflowListItem, WorkflowRecord } from '../../contract/workflows.ts';
import type { EngineApi } from '../../runtime/engine-api.ts';
import { Workflow, WorkflowInput } from '../../workflow/schema.ts';
import { apiErrors, ErrorBody, notFoundError } from '../error-body.ts';
import { bearerSecurity } from '../route-config.ts';
import { IdParams, NoContent } from './params.ts';

const tags = ['workflows'];
const security = bearerSecurity;

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
      schema: {
        tags,
        security,
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
      schema: { tags, security, summary: 'List workflows', response: { 200: z.array(WorkflowListItem), ...apiErrors } },
    },
    async () => engine.workflows.list(),
  );

  app.get(
    '/workflows/:id',
    {
      schema: {
        tags,
        security,
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
      schema: {
        tags,
        security,
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
      schema: {
        tags,
        security,
        summary: 'Delete a workflow with its versions',
        params: IdParams,
        response: { 204: NoContent, ...apiErrors, ...notFoundError },
      },
    },
    async (request, reply) => {
      await engine.workflows.delete(request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/workflows/:id/publish',
    {
      schema: {
        tags,
        security,
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
      schema: {
        tags,
        security,
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
      schema: {
        tags,
        security,
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
