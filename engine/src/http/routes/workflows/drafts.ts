import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  type DraftSave,
  DraftSaveBody,
  ValidationReport,
  WorkflowListItem,
  WorkflowRecord,
} from '../../../contract/workflows.ts';
import type { EngineApi } from '../../../runtime/engine-api.ts';
import { WorkflowInput } from '../../../workflow/schema.ts';
import { authorOf } from '../../actor.ts';
import { auditor } from '../../audit.ts';
import { apiErrors, ErrorBody, notFoundError } from '../../error-body.ts';
import { roleRoute } from '../../route-config.ts';
import { IdParams } from '../params.ts';

const tags = ['workflows'];
/** The editor sends `{}` (or nothing) to validate the stored draft, or its unsaved draft. */
const ValidateBody = z.preprocess(
  (body) => (isNoDraft(body) ? undefined : body),
  WorkflowInput.optional().describe('The unsaved draft; omit (or send {}) to validate the stored draft'),
);

export const EditorHeaders = z.object({
  'x-editor-name': z
    .string()
    .optional()
    .describe(
      "Who uses the install's API key, shared by everyone who has it (percent-encoded UTF-8, at most 100 characters kept): named as the author of saves and versions and in the audit log. A named key is always named after itself; display only, never checked",
    ),
});

/** `/workflows` and `/workflows/:id`: creating, reading, replacing and validating drafts. */
export const draftRoutes: FastifyPluginAsyncZod<{ engine: EngineApi }> = async (app, { engine }) => {
  const audit = auditor(engine);
  app.post(
    '/workflows',
    {
      config: roleRoute('editor'),
      schema: {
        tags,
        summary: 'Create a workflow draft (drafts may be invalid; publishing validates)',
        body: WorkflowInput,
        response: { 201: WorkflowRecord, ...apiErrors, 409: ErrorBody.describe('WORKFLOW_ID_TAKEN: the id is taken') },
      },
    },
    async (request, reply) => {
      const created = await engine.workflows.create(request.body);
      await audit(request, 'workflow.created', { kind: 'workflow', id: created.id, name: created.name });
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/workflows',
    {
      config: roleRoute('read'),
      schema: { tags, summary: 'List workflows', response: { 200: z.array(WorkflowListItem), ...apiErrors } },
    },
    async () => engine.workflows.list(),
  );

  app.get(
    '/workflows/:id',
    {
      config: roleRoute('read'),
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
      config: roleRoute('editor'),
      schema: {
        tags,
        summary: 'Replace the draft; with baseRevision, only if nobody saved it since',
        params: IdParams,
        headers: EditorHeaders,
        body: DraftSaveBody,
        response: {
          200: WorkflowRecord,
          ...apiErrors,
          ...notFoundError,
          409: ErrorBody.describe(
            'DRAFT_CHANGED: the draft was saved since baseRevision; details: revision, savedAt, savedBy (null when not named)',
          ),
        },
      },
    },
    async (request) => {
      const save: DraftSave = { ...request.body, savedBy: authorOf(request) };
      const saved = await engine.workflows.update(request.params.id, save);
      await audit(request, 'workflow.saved', { kind: 'workflow', id: saved.id, name: saved.name });
      return saved;
    },
  );

  app.post(
    '/workflows/:id/validate',
    {
      config: roleRoute('read'),
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
