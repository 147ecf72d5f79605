import { z } from 'zod';
import { helpdeskNode } from '../shared/helpdesk.ts';

export const helpdeskNoteSchema = z.object({
  text: z.string().trim().min(1, 'write the note for the agents').max(10_000).meta({
    title: 'Note',
    description: 'Only agents see it; $variables are filled in, e.g. "CSAT $rating/5 from $contact.name"',
    multiline: true,
  }),
});
export type HelpdeskNoteData = z.infer<typeof helpdeskNoteSchema>;

export const helpdeskNote = helpdeskNode({
  type: 'helpdesk.note',
  label: 'Add private note',
  description: 'Adds a private note to the conversation in the helpdesk: agents see it, the contact does not.',
  icon: '📝',
  schema: helpdeskNoteSchema,
  helpdesk: 'note',
  summary: (data) => data.text?.trim(),
});
