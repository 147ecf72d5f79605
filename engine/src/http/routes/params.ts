import { z } from 'zod';

/** `:id` of a workflow, run or connection. */
export const IdParams = z.object({ id: z.string().min(1).max(200) });

/** What a 204 answers: nothing. */
export const NoContent = z.null().describe('No content');
