import { ConversationClosedEvent, DEFAULT_EXIT, defineNode } from '@convoflow/engine';
import { z } from 'zod';
import { contactVariables } from '../shared/fields.ts';

const filterList = (title: string, description: string) =>
  z.array(z.string().trim().min(1)).default([]).meta({ title, description });

export const conversationClosedSchema = z.object({
  channels: filterList(
    'Channels',
    'Only conversations on these channels (e.g. whatsapp) or channel connections (their id); empty = every channel',
  ),
  categories: filterList('Categories', 'Only conversations with these categories; empty = every category'),
});
export type ConversationClosedData = z.infer<typeof conversationClosedSchema>;

export const conversationClosed = defineNode({
  type: 'trigger.conversationClosed',
  label: 'Conversation closed',
  group: 'Triggers',
  description: 'Starts the workflow when the chat platform reports that a conversation closed.',
  icon: '🔚',
  schema: conversationClosedSchema,
  exits: () => [DEFAULT_EXIT],
  variables: () => [
    ...contactVariables,
    { name: 'conversation.id', type: 'string' },
    { name: 'conversation.channel', type: 'string' },
    { name: 'conversation.closedBy', type: 'string' },
    { name: 'conversation.closingNote', type: 'string' },
    { name: 'conversation.category', type: 'string' },
    { name: 'conversation.connection', type: 'string', description: 'The channel connection it came through' },
    { name: 'conversation.inbox', type: 'string', description: "The platform's inbox or number" },
    { name: 'assignee.id', type: 'string', description: 'The agent who handled the conversation' },
    { name: 'assignee.name', type: 'string' },
    { name: 'trigger.eventId', type: 'string', description: 'The platform event that started the run' },
  ],
  trigger: { event: 'conversation.closed', matches: matchesConversationClosed },
  summary: (data) => {
    const channels = filled(data.channels);
    const categories = filled(data.categories);
    if (channels.length === 0 && categories.length === 0) return 'Every closed conversation';
    return [channels.length ? `on ${channels.join(', ')}` : '', categories.length ? `in ${categories.join(', ')}` : '']
      .filter(Boolean)
      .join(' · ');
  },
});

function filled(list: readonly (string | undefined)[] | undefined): string[] {
  return (list ?? []).filter((entry): entry is string => typeof entry === 'string' && entry.trim() !== '');
}

/** Filters compare case-insensitively; a filter set on a field the event lacks does not match. */
export function matchesConversationClosed(data: ConversationClosedData, event: Record<string, unknown>): boolean {
  const parsed = ConversationClosedEvent.safeParse(event);
  if (!parsed.success) return false;
  const { channel, category, connection } = parsed.data.conversation;
  // A platform's own channel name counts with and without its namespace (Chatwoot's "Channel::Whatsapp").
  const channelNames = [channel, channel?.replace(/^channel::/i, ''), connection];
  return passes(data.channels, channelNames) && passes(data.categories, [category]);
}

function passes(filter: readonly string[], values: readonly (string | undefined)[]): boolean {
  if (filter.length === 0) return true;
  const present = values
    .filter((value): value is string => value !== undefined)
    .map((value) => value.trim().toLowerCase());
  return filter.some((entry) => present.includes(entry.trim().toLowerCase()));
}
