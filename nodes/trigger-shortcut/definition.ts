import { DEFAULT_EXIT, defineNode } from '@convoflow/engine';
import { z } from 'zod';
import { contactVariables } from '../shared/fields.ts';

export const shortcutSchema = z.object({
  label: z
    .string()
    .trim()
    .min(1, 'give the shortcut a label agents will recognise')
    .max(80)
    .meta({ title: 'Button label', description: 'What agents see on the shortcut, e.g. "Send CSAT survey"' }),
});
export type ShortcutData = z.infer<typeof shortcutSchema>;

export const shortcut = defineNode({
  type: 'trigger.shortcut',
  label: 'Agent shortcut',
  group: 'Triggers',
  description: 'Starts the workflow when an agent runs it for the conversation in front of them.',
  icon: '⚡',
  schema: shortcutSchema,
  exits: () => [DEFAULT_EXIT],
  variables: () => [
    ...contactVariables,
    { name: 'conversation.id', type: 'string' },
    { name: 'shortcut.triggeredBy.id', type: 'string', description: 'The agent who ran the shortcut' },
    { name: 'shortcut.triggeredBy.name', type: 'string' },
  ],
  trigger: { event: 'shortcut' },
  summary: (data) => data.label?.trim() && `Button “${data.label.trim()}”`,
});
