import type { ChannelBinding, ChannelEvent, Contact } from '@convoflow/engine';
import { WINDOW_CLOSED } from './errors.ts';
import {
  FailedStatus,
  type WebhookMessage as Message,
  readEach,
  WebhookContact,
  WebhookMessage,
  type WebhookValue,
} from './payloads.ts';

/** The engine events of one `messages` change of the connection's number. */
export function eventsOf(value: WebhookValue, connectionId: string): ChannelEvent[] {
  const inbox = value.metadata.phone_number_id;
  const names = new Map(
    readEach(value.contacts, WebhookContact).map((contact) => [contact.wa_id, contact.profile?.name]),
  );
  // Media, locations, reactions… read as nothing: a survey's answer is text or a tap.
  const messages = readEach(value.messages, WebhookMessage).map((message): ChannelEvent => {
    const waId = message.from;
    const binding: ChannelBinding = { kind: 'whatsapp', connectionId, conversation: waId, contact: waId, inbox };
    const name = names.get(waId);
    const contact: Contact = { id: waId, ...(name ? { name } : {}), phone: `+${waId}` };
    return { type: 'message', deliveryId: message.id, binding, contact, ...answerOf(message) };
  });
  const failures = readEach(value.statuses, FailedStatus).map(undelivered);
  return [...messages, ...failures];
}

function answerOf(message: Message): { text: string; tapped?: { id: string } } {
  switch (message.type) {
    case 'text':
      return { text: message.text.body };
    case 'button':
      return { text: message.button.text, tapped: { id: message.button.payload } };
    case 'interactive': {
      const reply =
        message.interactive.type === 'button_reply' ? message.interactive.button_reply : message.interactive.list_reply;
      return { text: reply.title, tapped: { id: reply.id } };
    }
  }
}

function undelivered(status: FailedStatus): ChannelEvent {
  const error = status.errors?.[0];
  const title = error?.title ?? error?.message;
  const details = error?.error_data?.details;
  const reason = [title, details].filter(Boolean).join(': ') || 'WhatsApp did not say why';
  return {
    type: 'undelivered',
    deliveryId: `${status.id}:failed`,
    messageId: status.id,
    ...(status.biz_opaque_callback_data ? { runId: status.biz_opaque_callback_data } : {}),
    ...(error?.code === undefined ? {} : { code: String(error.code) }),
    reason,
    ...(error?.code === WINDOW_CLOSED ? { windowClosed: true } : {}),
  };
}
