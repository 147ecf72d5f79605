import type { ChannelBinding, ChannelEvent, Contact, InboundCall } from '@convoflow/engine';
import type { ChatwootConnection } from './api.ts';
import { ConversationData, EventName, MessageData } from './payloads.ts';
import { showsOptions } from './question.ts';

/**
 * What a verified Chatwoot call means for the engine. A payload that is not one of the events
 * handled here (another subscription, a status other than resolved, our own or an agent's
 * message) means nothing: Chatwoot fires `message_created` for every message, ours included.
 */
export function readEvents(call: InboundCall, connection: ChatwootConnection): ChannelEvent[] {
  const payload = parseJson(call.rawBody);
  const name = EventName.safeParse(payload);
  if (!name.success) return [];
  const delivery = call.headers['x-chatwoot-delivery']?.trim() || undefined;
  const event = (() => {
    if (call.endpoint !== 'webhook') {
      const workflowId = call.params.workflowId;
      return name.data.event === 'macro.executed' && workflowId
        ? shortcut(payload, connection, workflowId, delivery)
        : undefined;
    }
    switch (name.data.event) {
      case 'conversation_status_changed':
        return closed(payload, connection, delivery);
      case 'message_created':
        return contactMessage(payload, connection, delivery);
      case 'message_updated':
        return submittedSelect(payload, connection);
      default:
        return undefined;
    }
  })();
  return event ? [event] : [];
}

function closed(payload: unknown, connection: ChatwootConnection, delivery: string | undefined) {
  const conversation = ConversationData.safeParse(payload);
  if (!conversation.success || conversation.data.status !== 'resolved') return undefined;
  const read = readConversation(conversation.data, connection);
  if (!read) return undefined;
  const { meta, labels, channel, updated_at } = conversation.data;
  return {
    type: 'closed',
    deliveryId: delivery ?? `conv:${read.binding.conversation}:${updated_at ?? 'unknown'}`,
    binding: read.binding,
    conversation: { ...(channel ? { channel } : {}), labels: labels ?? [] },
    contact: read.contact,
    ...(meta?.assignee ? { assignee: person(meta.assignee) } : {}),
    ...(meta?.team ? { team: person(meta.team) } : {}),
  } satisfies ChannelEvent;
}

function shortcut(payload: unknown, connection: ChatwootConnection, workflowId: string, delivery: string | undefined) {
  const conversation = ConversationData.safeParse(payload);
  if (!conversation.success) return undefined;
  const read = readConversation(conversation.data, connection);
  if (!read) return undefined;
  const { updated_at, timestamp } = conversation.data;
  return {
    type: 'shortcut',
    deliveryId: delivery ?? `macro:${read.binding.conversation}:${workflowId}:${updated_at ?? timestamp ?? 'unknown'}`,
    binding: read.binding,
    workflowId,
    contact: read.contact,
  } satisfies ChannelEvent;
}

/** A contact's own public message; Chatwoot sends `message_type` as "incoming" (0 in its enum). */
function contactMessage(payload: unknown, connection: ChatwootConnection, delivery: string | undefined) {
  const message = MessageData.safeParse(payload);
  if (!message.success) return undefined;
  const { id, content, message_type, private: isPrivate } = message.data;
  if ((message_type !== 'incoming' && message_type !== 0) || isPrivate === true) return undefined;
  const read = readConversation(message.data.conversation, connection, message.data);
  if (!read) return undefined;
  const submitted = message.data.content_attributes?.submitted_values?.[0];
  return {
    type: 'message',
    deliveryId: delivery ?? `msg:${id}`,
    binding: read.binding,
    contact: read.contact,
    text: content ?? submitted?.title ?? '',
    ...(submitted ? { tapped: { id: submitted.value } } : {}),
  } satisfies ChannelEvent;
}

/**
 * The web widget answers an `input_select` by updating that (our) message with
 * `submitted_values: [{title, value}]`; the value is the option id we sent. The same message is
 * updated again later (read receipts) with the values still on it, each time under a new
 * `X-Chatwoot-Delivery`: the message id, not the delivery, makes it one answer.
 */
function submittedSelect(payload: unknown, connection: ChatwootConnection) {
  const message = MessageData.safeParse(payload);
  if (!message.success || message.data.private === true) return undefined;
  const { id, content_type, content_attributes } = message.data;
  const submitted = content_attributes?.submitted_values?.[0];
  if (!submitted || (content_type && content_type !== 'input_select')) return undefined;
  const read = readConversation(message.data.conversation, connection, message.data);
  if (!read) return undefined;
  return {
    type: 'message',
    deliveryId: `msg:${id}:submitted`,
    binding: read.binding,
    contact: read.contact,
    text: submitted.title ?? submitted.value,
    tapped: { id: submitted.value },
  } satisfies ChannelEvent;
}

/** The binding and contact of a conversation; undefined when the payload names no conversation or contact. */
function readConversation(
  conversation: ConversationData,
  connection: ChatwootConnection,
  message?: MessageData,
): { binding: ChannelBinding; contact: Contact } | undefined {
  const conversationId = conversation.id ?? conversation.display_id;
  const sender = conversation.meta?.sender ?? (message?.sender?.type === 'contact' ? message.sender : undefined);
  const contactId = sender?.id ?? conversation.contact_inbox?.contact_id;
  if (!conversationId || !contactId) return undefined;
  const inbox = conversation.inbox_id ?? message?.inbox?.id;
  const { channel } = conversation;
  return {
    binding: {
      kind: 'chatwoot',
      connectionId: connection.id,
      conversation: conversationId,
      contact: contactId,
      ...(inbox ? { inbox } : {}),
      ...(channel ? { channel } : {}),
      textOnly: !showsOptions(channel),
    },
    contact: {
      id: contactId,
      ...(sender?.name ? { name: sender.name } : {}),
      ...(sender?.phone_number ? { phone: sender.phone_number } : {}),
      ...(sender?.email ? { email: sender.email } : {}),
    },
  };
}

function person(entity: { id: string; name?: string | null | undefined }): { id: string; name?: string } {
  return { id: entity.id, ...(entity.name ? { name: entity.name } : {}) };
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
