import { z } from 'zod';
import type { Contact } from '../contract/events.ts';
import type { AnyChannelDefinition, HelpdeskAction } from './define-channel.ts';

/**
 * The server half of a channel (`channels/<kind>/adapter.ts`): turns the platform's calls into
 * engine events and sends a run's messages through the platform's API. Adapters hold no state:
 * dedup, routing and the run's memory are the engine's.
 */

/** A stored connection of a channel, decrypted: what the adapter works with. */
export interface ChannelConnection<Definition extends AnyChannelDefinition = AnyChannelDefinition> {
  id: string;
  name: string;
  settings: z.output<Definition['settings']>;
  secrets: z.output<Definition['secrets']>;
}

/**
 * Where a run's messages go, fixed when the run is enrolled and stored with it. `conversation`
 * and `contact` are the platform's own references (Chatwoot's conversation display id, a
 * WhatsApp `wa_id`), which the adapter needs to send.
 */
export const ChannelBinding = z.object({
  kind: z.string(),
  connectionId: z.string(),
  conversation: z.string(),
  contact: z.string(),
  /** The platform's inbox or number the conversation is in, when it has one. */
  inbox: z.string().optional(),
  /** The platform's kind of inbox, e.g. Chatwoot's `Channel::Whatsapp`: it decides how options can show. */
  channel: z.string().optional(),
  /** The inbox cannot show options natively (Chatwoot e-mail, SMS…): questions go as numbered text. */
  textOnly: z.boolean().optional(),
});
export type ChannelBinding = z.infer<typeof ChannelBinding>;

/** One call the platform made to one of the definition's endpoints, before anything was parsed. */
export interface InboundCall {
  method: 'GET' | 'POST';
  /** The endpoint's `path` as declared, e.g. `shortcut/:workflowId`. */
  endpoint: string;
  /** Path parameters of the endpoint, e.g. `{ workflowId }`. */
  params: Readonly<Record<string, string>>;
  query: Readonly<Record<string, string>>;
  /** Lower-case names. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The exact bytes received: signatures are checked on these, never on re-serialized JSON. */
  rawBody: Buffer;
  /** Epoch ms. */
  receivedAt: number;
  /**
   * The URL carried the connection's token (`?token=`), checked by the engine in constant time.
   * Only set for endpoints declared `urlToken`; an adapter accepts it where the platform cannot sign.
   */
  urlTokenValid: boolean;
}

/** A contact's tap on an option of a question, however the platform returned it. */
export type TappedOption =
  /** The option's id as the engine gave it (`OutboundOption.id`): WhatsApp `list_reply.id`. */
  | { id: string }
  /** Only its title came back (a WhatsApp inbox through Chatwoot drops the id). */
  | { title: string }
  /** Its value came back (Chatwoot web widget `submitted_values`). */
  | { value: string };

/**
 * What an inbound call means. `deliveryId` is the platform's own id of the delivery or message
 * (`X-Chatwoot-Delivery`, a wamid): the same id twice is one event.
 */
export type ChannelEvent =
  | {
      type: 'closed';
      deliveryId: string;
      binding: ChannelBinding;
      conversation: { channel?: string; category?: string; closedBy?: string; labels?: string[] };
      contact: Contact;
      assignee?: { id: string; name?: string };
      team?: { id: string; name?: string };
    }
  | {
      type: 'shortcut';
      deliveryId: string;
      binding: ChannelBinding;
      /** From the endpoint's path, never from the payload. */
      workflowId: string;
      contact: Contact;
      triggeredBy?: { id: string; name?: string };
    }
  | {
      type: 'message';
      deliveryId: string;
      binding: ChannelBinding;
      contact: Contact;
      text: string;
      tapped?: TappedOption;
    }
  | {
      /** The platform says a message we sent did not arrive (a WhatsApp `failed` status). */
      type: 'undelivered';
      deliveryId: string;
      /** The platform's id of our message, as `send` returned it. */
      messageId: string;
      /** The run the message belongs to, when the platform echoes it (`biz_opaque_callback_data`). */
      runId?: string;
      code?: string;
      reason: string;
      /**
       * Refused because the contact's window for free-form messages was closed (WhatsApp's
       * 131047 as a later status): the engine sends it again once, as if outside the window.
       */
      windowClosed?: boolean;
    };

export type InboundResult =
  /** A handshake the platform expects an exact answer to (Meta's `hub.challenge`). */
  { kind: 'answer'; status: number; body: string; contentType?: string } | { kind: 'events'; events: ChannelEvent[] };

/** The call is not the platform's: the engine answers `status` and does nothing else. */
export class ChannelAuthError extends Error {
  override readonly name = 'ChannelAuthError';
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
  }
}

export interface OutboundOption {
  /** Unique to this question of this run (`cf1:<run>:<wait>:<index>`): a tap on an older question's option is told apart. */
  id: string;
  /** What the contact sees, e.g. ⭐⭐⭐⭐. */
  title: string;
  /** What the answer is, e.g. 4. */
  value: string;
}

export interface ChannelMessage {
  runId: string;
  text: string;
  /** A question's choices: native buttons or a list where the inbox has them, else numbered text. */
  options?: readonly OutboundOption[];
  /** The same for every re-send of this message: platforms that deduplicate take it. */
  idempotencyKey: string;
  /** When the contact last wrote on this connection (epoch ms), if the engine has seen it: WhatsApp's 24-hour window. */
  contactLastMessageAt?: number;
}

export interface ChannelCallContext {
  /** `fetch` through the guarded dispatcher (`HTTP_ALLOW_PRIVATE` applies): every call to the platform goes through it. */
  fetch: typeof fetch;
  signal: AbortSignal;
  now(): number;
}

export interface HelpdeskRequest {
  action: HelpdeskAction;
  /** `note`: the text; `labels`: the labels to add; `assign`: the agent or team id. */
  text?: string;
  labels?: readonly string[];
  assignee?: { agentId?: string; teamId?: string };
}

export type ConnectionCheck = { ok: true; detail: string } | { ok: false; problem: string };

export interface ChannelAdapter<Definition extends AnyChannelDefinition = AnyChannelDefinition> {
  definition: Definition;
  /**
   * Verifies the call (throws `ChannelAuthError` when it is not the platform's) and says what it
   * means. Synchronous work only on the bytes given: the engine answers the platform at once.
   */
  receive(call: InboundCall, connection: ChannelConnection<Definition>): InboundResult;
  /**
   * Sends one message to the bound conversation. A failure worth retrying (network, 5xx, 429)
   * throws a retryable `StepError` carrying the platform's words; one that is not, a plain one.
   */
  send(
    connection: ChannelConnection<Definition>,
    binding: ChannelBinding,
    message: ChannelMessage,
    context: ChannelCallContext,
  ): Promise<{ messageId?: string }>;
  /** Carries out a helpdesk step; only the actions the definition lists are ever asked. */
  act?(
    connection: ChannelConnection<Definition>,
    binding: ChannelBinding,
    request: HelpdeskRequest,
    context: ChannelCallContext,
  ): Promise<void>;
  /** A cheap authenticated call to the platform; says in words what is wrong. */
  check(connection: ChannelConnection<Definition>, context: ChannelCallContext): Promise<ConnectionCheck>;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds adapters of any definition
export type ChannelAdapterRegistry = Readonly<Record<string, ChannelAdapter<any>>>;

export function defineAdapter<Definition extends AnyChannelDefinition>(
  adapter: ChannelAdapter<Definition>,
): ChannelAdapter<Definition> {
  return adapter;
}
