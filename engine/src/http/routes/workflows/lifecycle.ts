import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PublishBody, RetireQuery, VersionSummary, WorkflowRecord } from '../../../contract/workflows.ts';
import type { EngineApi } from '../../../runtime/engine-api.ts';
import { Workflow } from '../../../workflow/schema.ts';
import { apiErrors, ErrorBody, notFoundError } from '../../error-body.ts';
import { roleRoute } from '../../route-config.ts';
import { IdParams, NoContent } from '../params.ts';
import { EditorHeaders, editorName } from './drafts.ts';

const tags = ['workflows'];
const activeRunsUndecided = {
  409: ErrorBody.describe(
    'ACTIVE_RUNS: the workflow has runs in progress and activeRuns was not given (details.activeRuns: how many); RUNS_BUSY: some could not be cancelled yet, retry',
  ),
};

const VersionParams = IdParams.extend({ version: z.coerce.number().int().min(1) });

/** Publishing, the frozen versions, and retiring a workflow (unpublish, delete). */
export const lifecycleRoutes: FastifyPluginAsyncZod<{ engine: EngineApi }> = async (app, { engine }) => {
  app.delete(
    '/workflows/:id',
    {
      config: roleRoute('editor'),
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
      config: roleRoute('editor'),
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
      config: roleRoute('editor'),
      schema: {
        tags,
        summary: 'Freeze the draft as the next version, with an optional note; 422 lists the problems by node',
        params: IdParams,
        headers: EditorHeaders,
        body: PublishBody,
        response: {
          200: WorkflowRecord,
          ...apiErrors,
          ...notFoundError,
          409: ErrorBody.describe('WORKFLOW_CHANGING: the draft kept changing while it was being published, retry'),
          422: ErrorBody.describe('WORKFLOW_INVALID: details.problems names each node to fix'),
        },
      },
    },
    async (request) =>
      engine.workflows.publish(request.params.id, {
        note: request.body?.note,
        publishedBy: editorName(request.headers['x-editor-name']),
      }),
  );

  app.get(
    '/workflows/:id/versions',
    {
      config: roleRoute('read'),
      schema: {
        tags,
        summary:
          'The published versions, newest first: note, who published, when, and what changed against the previous one',
        params: IdParams,
        response: { 200: z.array(VersionSummary), ...apiErrors, ...notFoundError },
      },
    },
    async (request) => engine.workflows.versions(request.params.id),
  );

  app.get(
    '/workflows/:id/versions/:version',
    {
      config: roleRoute('read'),
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
