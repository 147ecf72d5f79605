import { DEFAULT_EXIT, defineNode } from '@convoflow/engine';
import { z } from 'zod';

export const sendMessageSchema = z.object({
  text: z.string().trim().min(1, 'write the message to send').max(4096).meta({
    title: 'Message',
    description: 'Sent to the contact; $variables are filled in, e.g. "Thanks $contact.name!"',
    multiline: true,
  }),
  quickReplies: z
    .array(z.string().trim().min(1).max(100))
    .max(10)
    .optional()
    .meta({ title: 'Quick replies', description: 'Buttons the contact can tap, where the channel supports them' }),
});
export type SendMessageData = z.infer<typeof sendMessageSchema>;

export const sendMessage = defineNode({
  type: 'sendMessage',
  label: 'Send message',
  group: 'Actions',
  description: 'Sends a message to the contact through the chat channel.',
  icon: '💬',
  schema: sendMessageSchema,
  exits: () => [DEFAULT_EXIT],
  variables: () => [],
  summary: (data) => data.text?.trim(),
});
