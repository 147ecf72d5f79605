import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  type ActiveRunsChoice,
  PublishBody,
  RetireQuery,
  VersionSummary,
  WorkflowRecord,
} from '../../../contract/workflows.ts';
import type { EngineApi } from '../../../runtime/engine-api.ts';
import { Workflow } from '../../../workflow/schema.ts';
import { authorOf } from '../../actor.ts';
import { type AuditDetails, auditor } from '../../audit.ts';
import { apiErrors, ErrorBody, notFoundError } from '../../error-body.ts';
import { roleRoute } from '../../route-config.ts';
import { IdParams, NoContent } from '../params.ts';
import { EditorHeaders } from './drafts.ts';

const tags = ['workflows'];
const activeRunsUndecided = {
  409: ErrorBody.describe(
    'ACTIVE_RUNS: the workflow has runs in progress and activeRuns was not given (details.activeRuns: how many); RUNS_BUSY: some could not be cancelled yet, retry',
  ),
};

const VersionParams = IdParams.extend({ version: z.coerce.number().int().min(1) });

/** Publishing, the frozen versions, and retiring a workflow (unpublish, delete). */
export const lifecycleRoutes: FastifyPluginAsyncZod<{ engine: EngineApi }> = async (app, { engine }) => {
  const audit = auditor(engine);
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
      const { id } = request.params;
      // Read first: the log names what was deleted. A workflow that is not there fails the delete below as well.
      const { name } = await engine.workflows.get(id);
      await engine.workflows.delete(id, request.query.activeRuns);
      await audit(
        request,
        'workflow.deleted',
        { kind: 'workflow', id, name },
        activeRunsDetails(request.query.activeRuns),
      );
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
    async (request) => {
      const record = await engine.workflows.unpublish(request.params.id, request.query.activeRuns);
      await audit(
        request,
        'workflow.unpublished',
        { kind: 'workflow', id: record.id, name: record.name },
        activeRunsDetails(request.query.activeRuns),
      );
      return record;
    },
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
    async (request) => {
      const record = await engine.workflows.publish(request.params.id, {
        note: request.body?.note,
        publishedBy: authorOf(request),
      });
      await audit(
        request,
        'workflow.published',
        { kind: 'workflow', id: record.id, name: record.name },
        { version: record.publishedVersion, note: request.body?.note?.trim() || null },
      );
      return record;
    },
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

/** What the caller chose for the runs in progress, when it had to choose. */
function activeRunsDetails(activeRuns: ActiveRunsChoice | undefined): AuditDetails {
  return activeRuns === undefined ? undefined : { activeRuns };
}
