import { z } from 'zod';
import { helpdeskNode } from '../shared/helpdesk.ts';

export const helpdeskResolveSchema = z.object({});
export type HelpdeskResolveData = z.infer<typeof helpdeskResolveSchema>;

export const helpdeskResolve = helpdeskNode({
  type: 'helpdesk.resolve',
  label: 'Resolve conversation',
  description:
    'Marks the conversation resolved in the helpdesk. The "resolved" the platform reports back starts no new survey.',
  icon: '✅',
  schema: helpdeskResolveSchema,
  helpdesk: 'resolve',
});
