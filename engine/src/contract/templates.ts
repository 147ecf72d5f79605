import { z } from 'zod';
import { Workflow } from '../workflow/schema.ts';

/**
 * A starting point offered by "New workflow": one of the examples this server ships. Creating
 * a workflow from it posts `workflow` as a new draft (without its id), so a template is never
 * edited in place.
 */
export const WorkflowTemplate = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  workflow: Workflow,
});
export type WorkflowTemplate = z.infer<typeof WorkflowTemplate>;
