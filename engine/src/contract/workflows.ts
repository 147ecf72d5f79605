import { z } from 'zod';
import { Workflow } from '../workflow/schema.ts';

export const ValidationProblem = z.object({
  /** The node the problem concerns, or absent for the whole workflow. */
  nodeId: z.string().optional(),
  edgeId: z.string().optional(),
  /** Path inside the node's data, e.g. `columns.2.value`. */
  field: z.string().optional(),
  message: z.string(),
});
export type ValidationProblem = z.infer<typeof ValidationProblem>;

export const ValidationReport = z.object({
  valid: z.boolean(),
  problems: z.array(ValidationProblem),
});
export type ValidationReport = z.infer<typeof ValidationReport>;

export const WorkflowVersionInfo = z.object({
  version: z.number().int(),
  publishedAt: z.number(),
});

/** A stored workflow: its editable draft plus publishing facts. */
export const WorkflowRecord = Workflow.extend({
  status: z.enum(['draft', 'published']),
  /** The draft differs from the published version. */
  hasUnpublishedChanges: z.boolean(),
  publishedVersion: z.number().int().nullable(),
  versions: z.array(WorkflowVersionInfo),
  /** Its published runs that have not ended (queued, running or waiting); test runs are not counted. */
  activeRuns: z.number().int(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type WorkflowRecord = z.infer<typeof WorkflowRecord>;

/**
 * What deleting or unpublishing a workflow does to its active runs: `cancel` ends them now as
 * cancelled; `finish` lets them run to their end on the version they started on (replies,
 * timeouts and steps work as before). Required when the workflow has active runs.
 */
export const ActiveRunsChoice = z.enum(['cancel', 'finish']);
export type ActiveRunsChoice = z.infer<typeof ActiveRunsChoice>;

/** Query of `DELETE /api/workflows/:id` and `POST /api/workflows/:id/unpublish`. */
export const RetireQuery = z.object({
  activeRuns: ActiveRunsChoice.optional().describe(
    'What happens to the runs in progress: cancel them, or let them finish on their version. Required (409 ACTIVE_RUNS otherwise) when there are any.',
  ),
});

export const WorkflowListItem = WorkflowRecord.pick({
  id: true,
  name: true,
  status: true,
  hasUnpublishedChanges: true,
  publishedVersion: true,
  activeRuns: true,
  createdAt: true,
  updatedAt: true,
}).extend({
  triggerType: z.string().nullable(),
  runsLast24h: z.number().int(),
});
export type WorkflowListItem = z.infer<typeof WorkflowListItem>;
