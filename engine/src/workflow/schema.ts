import { z } from 'zod';
import { Duration } from './duration.ts';
import { FailureAlerts } from './failure-alerts.ts';

/**
 * Workflow file format v1: React Flow's own node/edge shape, so the editor saves what the
 * API takes. Fields may be added in later versions; none may be renamed. Node `data` is
 * checked against the node type's own schema by `validateWorkflow`, not here, so this file
 * stays free of any node type.
 */
export const Position = z.object({ x: z.number(), y: z.number() });

export const STEP_LABEL_MAX_LENGTH = 80;
export const STICKY_NOTE_MAX_COUNT = 200;
export const STICKY_NOTE_MAX_TEXT_LENGTH = 2000;
export const WORKFLOW_DESCRIPTION_MAX_LENGTH = 500;

export const WorkflowNode = z.object({
  id: z.string().min(1).max(100),
  type: z.string().min(1).max(100),
  position: Position,
  data: z.record(z.string(), z.unknown()).default({}),
  /** The step's name shown on its card and in run logs; the id stays the stable reference. */
  label: z
    .string()
    .trim()
    .max(STEP_LABEL_MAX_LENGTH, `a step name has at most ${STEP_LABEL_MAX_LENGTH} characters`)
    .optional(),
});
export type WorkflowNode = z.infer<typeof WorkflowNode>;

export const WorkflowEdge = z.object({
  id: z.string().min(1).max(100),
  source: z.string().min(1),
  sourceHandle: z.string().min(1).nullish(),
  target: z.string().min(1),
});
export type WorkflowEdge = z.infer<typeof WorkflowEdge>;

export const stickyNoteColors = ['yellow', 'blue', 'green', 'pink'] as const;

/**
 * A sticky note on the canvas: a comment for the team, not a step. The runtime and
 * `validateWorkflow` never look at notes; they travel with the draft, versions and exports.
 */
export const StickyNote = z.object({
  id: z.string().min(1).max(100),
  text: z.string().max(STICKY_NOTE_MAX_TEXT_LENGTH, `a note has at most ${STICKY_NOTE_MAX_TEXT_LENGTH} characters`),
  position: Position,
  width: z.number().positive().max(2000).optional(),
  height: z.number().positive().max(2000).optional(),
  color: z.enum(stickyNoteColors).optional(),
});
export type StickyNote = z.infer<typeof StickyNote>;

export const reenrollmentModes = ['always', 'once', 'after'] as const;

export const Reenrollment = z
  .discriminatedUnion('mode', [
    z.object({ mode: z.literal('always') }),
    z.object({ mode: z.literal('once') }),
    z.object({ mode: z.literal('after'), after: Duration.meta({ title: 'Waiting time' }) }),
  ])
  .meta({
    title: 'Re-enrolment',
    description: 'Whether the same contact can enter this workflow again, e.g. not within 24 hours.',
    optionLabels: {
      always: 'Every time (each closed conversation)',
      once: 'Only once per contact',
      after: 'Again after a waiting time',
    },
  });
export type Reenrollment = z.infer<typeof Reenrollment>;

export const WorkflowSettings = z.object({
  reenrollment: Reenrollment.default({ mode: 'always' }),
  /** Failure alerts (`failure-alerts.ts`); absent means none. */
  alerts: FailureAlerts.optional(),
});
export type WorkflowSettings = z.infer<typeof WorkflowSettings>;

/** What the editor saves and `POST /api/workflows` takes; `id` is assigned when absent. */
export const WorkflowInput = z.object({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'use 1–64 letters, digits, "-" or "_"')
    .optional(),
  name: z.string().trim().min(1).max(200),
  /** What the workflow is for, in a sentence; shown in the template gallery. */
  description: z
    .string()
    .trim()
    .max(WORKFLOW_DESCRIPTION_MAX_LENGTH, `a description has at most ${WORKFLOW_DESCRIPTION_MAX_LENGTH} characters`)
    .optional(),
  nodes: z.array(WorkflowNode).max(2000),
  edges: z.array(WorkflowEdge).max(5000),
  settings: WorkflowSettings.default({ reenrollment: { mode: 'always' } }),
  notes: z
    .array(StickyNote)
    .max(STICKY_NOTE_MAX_COUNT, `a workflow has at most ${STICKY_NOTE_MAX_COUNT} sticky notes`)
    .optional(),
});
export type WorkflowInput = z.input<typeof WorkflowInput>;

export const Workflow = WorkflowInput.extend({ id: z.string() });
export type Workflow = z.infer<typeof Workflow>;
