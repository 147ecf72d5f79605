import { z } from 'zod';
import { helpdeskNode } from '../shared/helpdesk.ts';

export const helpdeskLabelsSchema = z.object({
  labels: z
    .array(z.string().trim().min(1, 'a label cannot be empty').max(255))
    .min(1, 'add at least one label')
    .max(20)
    .meta({
      title: 'Labels',
      description: 'Added to the labels the conversation already has, e.g. low-csat; $variables are filled in',
    }),
});
export type HelpdeskLabelsData = z.infer<typeof helpdeskLabelsSchema>;

export const helpdeskLabels = helpdeskNode({
  type: 'helpdesk.labels',
  label: 'Add labels',
  description: 'Adds labels to the conversation in the helpdesk, keeping the ones it has.',
  icon: '🏷️',
  schema: helpdeskLabelsSchema,
  helpdesk: 'labels',
  summary: (data) =>
    (data.labels ?? [])
      .map((label) => label?.trim())
      .filter(Boolean)
      .join(', '),
});
