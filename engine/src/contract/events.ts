import { z } from 'zod';

const id = z.string().trim().min(1).max(200);
const text = (max: number) => z.string().max(max);

export const Contact = z.object({
  id,
  name: text(200).optional(),
  phone: text(50).optional(),
  email: text(320).optional(),
});
export type Contact = z.infer<typeof Contact>;

/** `POST /api/events/conversation-closed`, sent by the chat platform, HMAC-signed. */
export const ConversationClosedEvent = z.object({
  eventId: id,
  conversation: z.object({
    id,
    channel: text(100).optional(),
    closedBy: text(200).optional(),
    closingNote: text(5000).optional(),
    category: text(200).optional(),
    /** The channel connection it came through (`/api/channels/…`); absent on the generic contract. */
    connection: text(64).optional(),
    /** The platform's inbox or number within that connection. */
    inbox: text(200).optional(),
  }),
  contact: Contact,
  assignee: z.object({ id, name: text(200).optional() }).optional(),
});
export type ConversationClosedEvent = z.infer<typeof ConversationClosedEvent>;

/** `POST /api/workflows/:id/shortcut`, sent by an agent's client with the API key. */
export const ShortcutRequest = z.object({
  eventId: id.optional(),
  conversationId: id,
  contact: Contact,
  triggeredBy: z.object({ id, name: text(200).optional() }),
  /**
   * A channel connection to reach the contact through (e.g. a WhatsApp number, which has no
   * close event of its own): `conversationId` and `contact.id` are then that platform's own
   * references (for WhatsApp, both the contact's number, e.g. 15550100).
   */
  connection: z.string().max(64).optional(),
});
export type ShortcutRequest = z.infer<typeof ShortcutRequest>;

/** `POST /api/messages/inbound`: a contact's reply relayed by the platform, HMAC-signed. */
export const InboundMessage = z.object({
  eventId: id.optional(),
  conversationId: id,
  contactId: id,
  text: text(10_000),
});
export type InboundMessage = z.infer<typeof InboundMessage>;

export const EnrolledRuns = z.object({ runs: z.array(z.string()) });
export const ShortcutAccepted = z.object({ runId: z.string() });
export const InboundAccepted = z.object({ runId: z.string().nullable() });

/** Outbound to `CHANNEL_WEBHOOK_URL`, signed like inbound calls. */
export const OutboundChannelMessage = z.object({
  runId: z.string(),
  conversationId: z.string(),
  contactId: z.string(),
  text: z.string(),
  quickReplies: z.array(z.string()).optional(),
});
export type OutboundChannelMessage = z.infer<typeof OutboundChannelMessage>;
