import { testStepContext } from '@convoflow/engine';
import { describe, expect, it } from 'vitest';
import { runners } from '../runners.ts';
import { conversationClosed, matchesConversationClosed } from './definition.ts';

const event = (conversation: Record<string, unknown>) => ({
  eventId: 'evt-1',
  conversation: { id: 'conv-1', ...conversation },
  contact: { id: 'contact-1' },
});

describe('trigger.conversationClosed', () => {
  const matches = matchesConversationClosed;

  it('fires on conversation.closed through its filters', () => {
    expect(conversationClosed.trigger?.event).toBe('conversation.closed');
    expect(conversationClosed.trigger?.matches).toBe(matchesConversationClosed);
  });

  it('matches every closed conversation without filters', () => {
    const data = conversationClosed.schema.parse({});
    expect(data).toEqual({ channels: [], categories: [] });
    expect(matches(data, event({}))).toBe(true);
  });

  it('applies channel and category filters together, case-insensitively', () => {
    const data = conversationClosed.schema.parse({ channels: ['whatsapp', 'web'], categories: ['Billing'] });
    expect(matches(data, event({ channel: 'WhatsApp', category: 'billing' }))).toBe(true);
    expect(matches(data, event({ channel: 'messenger', category: 'billing' }))).toBe(false);
    expect(matches(data, event({ channel: 'web', category: 'sales' }))).toBe(false);
    expect(matches(data, event({ channel: 'web' }))).toBe(false);
  });

  it('takes a channel connection by its id, and a platform channel with or without its namespace', () => {
    const byConnection = conversationClosed.schema.parse({ channels: ['helpdesk'] });
    expect(matches(byConnection, event({ channel: 'Channel::Whatsapp', connection: 'helpdesk' }))).toBe(true);
    expect(matches(byConnection, event({ channel: 'Channel::Whatsapp', connection: 'other' }))).toBe(false);
    const byChannel = conversationClosed.schema.parse({ channels: ['whatsapp'] });
    expect(matches(byChannel, event({ channel: 'Channel::Whatsapp', connection: 'helpdesk' }))).toBe(true);
    expect(matches(byChannel, event({ channel: 'Channel::WebWidget', connection: 'helpdesk' }))).toBe(false);
  });

  it('does not match an event of another shape', () => {
    expect(matches(conversationClosed.schema.parse({}), { conversationId: 'x' })).toBe(false);
  });

  it('declares the variables the engine fills from the event, and leaves by its one exit', async () => {
    const names = conversationClosed.variables({ channels: [], categories: [] }).map((v) => v.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'contact.name',
        'conversation.id',
        'conversation.channel',
        'assignee.name',
        'trigger.eventId',
      ]),
    );
    expect(await runners['trigger.conversationClosed'].run(testStepContext({ channels: [], categories: [] }))).toEqual({
      type: 'exit',
    });
  });
});
