import { z } from 'zod';
import { Workflow, WorkflowInput } from '../workflow/schema.ts';

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

export const VERSION_NOTE_MAX_LENGTH = 500;

/**
 * `POST /api/workflows/:id/publish`'s optional body: a note saying what the version is for.
 * Callers from before notes existed send no body at all, which arrives as null.
 */
export const PublishBody = z.preprocess(
  (body) => body ?? undefined,
  z
    .object({
      note: z
        .string()
        .trim()
        .max(VERSION_NOTE_MAX_LENGTH, `a version note has at most ${VERSION_NOTE_MAX_LENGTH} characters`)
        .optional()
        .describe('What this version changes or why, shown in the versions list'),
    })
    .optional(),
);

/** What publishing takes besides the draft: the note, and who publishes (the caller's key's name, or the editor's name for the install's key). */
export interface PublishOptions {
  note?: string | undefined;
  publishedBy?: string | undefined;
}

/** A step as the versions list names it: its id, type and name (label) if it has one. */
export const StepRef = z.object({ id: z.string(), type: z.string(), label: z.string().nullable() });
export type StepRef = z.infer<typeof StepRef>;

/** What changed from one version to the next; steps are matched by id. */
export const VersionChanges = z.object({
  added: z.array(StepRef),
  removed: z.array(StepRef),
  /** Steps kept whose type, settings (data) or name differ; `fields` says which. */
  changed: z.array(StepRef.extend({ fields: z.array(z.enum(['type', 'data', 'label'])) })),
  /** Connections (by source, exit and target) added and removed. */
  edgesAdded: z.number().int(),
  edgesRemoved: z.number().int(),
  nameChanged: z.boolean(),
  settingsChanged: z.boolean(),
  notesChanged: z.boolean(),
});
export type VersionChanges = z.infer<typeof VersionChanges>;

/** One published version in `GET /api/workflows/:id/versions`, newest first. */
export const VersionSummary = WorkflowVersionInfo.extend({
  note: z.string().nullable(),
  /** Who published: a named key's name, or for the install's key the name the editor sent (`X-Editor-Name`); null when none was sent. */
  publishedBy: z.string().nullable(),
  /** Against the previous version; null for the first version (or when the previous one is gone). */
  changes: VersionChanges.nullable(),
});
export type VersionSummary = z.infer<typeof VersionSummary>;

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
  /** When the draft was last saved (or created). */
  updatedAt: z.number(),
  /** Counts the draft's saves; a save naming an older `baseRevision` is refused (DRAFT_CHANGED). */
  revision: z.number().int(),
  /** Who last saved the draft: a named key's name, or for the install's key the name the editor sent; null when none was sent. */
  savedBy: z.string().nullable(),
});
export type WorkflowRecord = z.infer<typeof WorkflowRecord>;

/** `PUT /api/workflows/:id`'s body: the draft, and optionally the revision it was loaded at. */
export const DraftSaveBody = WorkflowInput.extend({
  baseRevision: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe(
      "The draft's `revision` when it was loaded: the save is refused (409 DRAFT_CHANGED, with who saved when) if the draft was saved since. Omit it to replace the draft whatever its revision.",
    ),
});

/** `details` of a 409 DRAFT_CHANGED: the draft's current revision, and when and by whom it was saved. */
export const DraftChangedDetails = z.object({
  revision: z.number().int(),
  savedAt: z.number(),
  /** As the saving client named itself; null when it did not (e.g. an API caller). */
  savedBy: z.string().nullable(),
});
export type DraftChangedDetails = z.infer<typeof DraftChangedDetails>;

/** What saving a draft takes: the body, and who saves it (as `PublishOptions.publishedBy`). */
export type DraftSave = z.input<typeof DraftSaveBody> & { savedBy?: string | undefined };

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
  /** Runs created in the last 24 h that ended `failed` or `completed_with_failures`. */
  failuresLast24h: z.number().int(),
});
export type WorkflowListItem = z.infer<typeof WorkflowListItem>;
