import { z } from 'zod';

/**
 * The parts of Chatwoot's webhook payloads the adapter reads (chatwoot/chatwoot:
 * `Conversations::EventDataPresenter#push_data` for a conversation, `Message#webhook_data` for a
 * message, `Macros::ExecutionService#send_webhook_event` for a macro). Loose on purpose: Chatwoot
 * adds fields between releases, and a field of an unexpected type that the adapter can do
 * without is dropped rather than failing the whole payload.
 */

/** Chatwoot's ids are integers; a fork or proxy may send them as strings. */
const id = z.union([z.number(), z.string().trim().min(1)]).transform(String);
const optionalText = z.string().nullish().catch(undefined);

const Person = z.object({ id, name: optionalText }).loose();

const ContactData = Person.extend({ phone_number: optionalText, email: optionalText });

/** `Conversation#webhook_data`: `id` is the display id that the REST paths take. */
export const ConversationData = z
  .object({
    id: id.optional(),
    /** Releases before 2021 sent only the display id under this name. */
    display_id: id.optional(),
    inbox_id: id.optional().catch(undefined),
    channel: z.string().optional().catch(undefined),
    status: z.string().optional().catch(undefined),
    labels: z.array(z.string()).optional().catch(undefined),
    meta: z
      .object({
        sender: ContactData.optional().catch(undefined),
        assignee: Person.nullish().catch(undefined),
        team: Person.nullish().catch(undefined),
      })
      .loose()
      .optional()
      .catch(undefined),
    contact_inbox: z.object({ contact_id: id.optional() }).loose().nullish().catch(undefined),
    updated_at: z.number().optional().catch(undefined),
    timestamp: z.number().optional().catch(undefined),
  })
  .loose();
export type ConversationData = z.output<typeof ConversationData>;

const SubmittedValue = z
  .object({ title: optionalText, value: z.union([z.string(), z.number()]).transform(String) })
  .loose();

/** `Message#webhook_data`, for `message_created` and `message_updated`. */
export const MessageData = z
  .object({
    id,
    content: optionalText,
    /** The enum's name ("incoming") in webhooks; its number (0) in ActionCable-shaped relays. */
    message_type: z.union([z.string(), z.number()]),
    content_type: optionalText,
    content_attributes: z
      .object({ submitted_values: z.array(SubmittedValue).optional().catch(undefined) })
      .loose()
      .nullish()
      .catch(undefined),
    /** Missing before Chatwoot 1.5; a private note was never incoming, so absent reads as public. */
    private: z.boolean().nullish().catch(undefined),
    sender: ContactData.extend({ type: optionalText }).nullish().catch(undefined),
    inbox: z.object({ id }).loose().nullish().catch(undefined),
    conversation: ConversationData,
  })
  .loose();
export type MessageData = z.output<typeof MessageData>;

/** Every payload names its event; macros send `macro.executed`. */
export const EventName = z.object({ event: z.string() }).loose();
