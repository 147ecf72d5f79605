import { createHmac, randomUUID } from 'node:crypto';
import { startLocalServer } from '../support/http-server.ts';
import { Mailbox } from '../support/mailbox.ts';

/**
 * Stands in for a Chatwoot install over real HTTP on 127.0.0.1, speaking its wire format both ways
 * (chatwoot/chatwoot: `Conversations::EventDataPresenter`, `Message#webhook_data`,
 * `WebhookListener`, `Macros::ExecutionService#send_webhook_event`, PR #13573 for signing):
 * - serves the account API an adapter uses (`/api/v1/accounts/{id}/…`, header `api_access_token`):
 *   create message, labels, assignments, toggle_status, inboxes; records every call;
 * - fires webhooks at our URL as Chatwoot does: a conversation resolved, a contact's message, a
 *   web-widget answer to an `input_select`, a macro, an echo of our own message, a private note;
 *   signed (`X-Chatwoot-Signature`/`-Timestamp`/`-Delivery`) when it has a secret, as ≥ 4.11 does.
 */

export interface ChatwootInbox {
  id: number;
  name: string;
  /** Chatwoot's class name: `Channel::WebWidget`, `Channel::Whatsapp`, `Channel::Email`… */
  channelType: string;
}

export interface ChatwootContact {
  id: number;
  name: string;
  phoneNumber?: string;
  email?: string;
}

export interface ChatwootAgent {
  id: number;
  name: string;
}

export interface ChatwootConversation {
  /** The display id, which REST paths and webhooks use. */
  id: number;
  inboxId: number;
  contactId: number;
  status: 'open' | 'resolved' | 'pending' | 'snoozed';
  labels: string[];
  assignee: ChatwootAgent | null;
  team: ChatwootAgent | null;
  /** Unix seconds with fraction, as Chatwoot sends `updated_at`. */
  updatedAt: number;
}

export interface ChatwootMessage {
  id: number;
  conversationId: number;
  content: string | null;
  contentType: string;
  contentAttributes: Record<string, unknown>;
  messageType: 'incoming' | 'outgoing' | 'activity' | 'template';
  private: boolean;
  /** Who wrote it: the contact, the token's agent, or nobody (activity). */
  sender: { type: 'contact' | 'user'; id: number } | null;
  createdAt: Date;
}

export interface ChatwootApiCall {
  method: string;
  /** Path without the query string. */
  path: string;
  body: unknown;
  /** What the stand-in answered. */
  status: number;
}

/** One webhook POST the stand-in made, and how our server answered it. */
export interface ChatwootDelivery {
  url: string;
  event: string;
  /** `X-Chatwoot-Delivery`; set only when signing, as Chatwoot sends it with the signature. */
  deliveryId?: string;
  payload: Record<string, unknown>;
  rawBody: string;
  headers: Record<string, string>;
  status: number;
  responseBody: string;
}

export interface ChatwootOptions {
  accountId?: number;
  apiAccessToken?: string;
  /** Sign deliveries as Chatwoot ≥ 4.11 signs account webhooks; unsigned (an older install) without it. */
  webhookSecret?: string;
  /** Where account webhooks go; `setWebhookUrl` changes it later. */
  webhookUrl?: string;
  inboxes?: ChatwootInbox[];
  contacts?: ChatwootContact[];
  /** `status` defaults to open, labels to none, assignee and team to nobody. */
  conversations?: (Pick<ChatwootConversation, 'id' | 'inboxId' | 'contactId'> & Partial<ChatwootConversation>)[];
  /** The user the API access token belongs to: the sender of messages created through the API. */
  agent?: ChatwootAgent;
  /**
   * Fire the webhooks Chatwoot fires for the API's own changes: `message_created` for each
   * message created (ours echoed back as outgoing) and `conversation_status_changed` for
   * toggle_status. Off by default so a test fires each webhook itself.
   */
  webhooksForApiChanges?: boolean;
}

export interface ChatwootStandIn {
  /** Base URL, e.g. `http://127.0.0.1:41234`: a connection's `baseUrl`. */
  url: string;
  accountId: number;
  apiAccessToken: string;
  /** Messages created through the API, in arrival order (notes included). */
  readonly messages: readonly ChatwootMessage[];
  /** Every API request, answered or refused. */
  readonly calls: readonly ChatwootApiCall[];
  /** Every webhook fired, in order. */
  readonly deliveries: readonly ChatwootDelivery[];
  conversation(id: number): ChatwootConversation;
  /** A new open conversation, for a test that needs its own. */
  addConversation(
    seed: Pick<ChatwootConversation, 'inboxId' | 'contactId'> & Partial<ChatwootConversation>,
  ): ChatwootConversation;
  /** The oldest message created through the API in this conversation not yet taken, or the next to arrive. */
  nextMessage(conversationId: number, options?: { timeoutMs?: number }): Promise<ChatwootMessage>;
  /** Answer the next `count` API calls with `status`; a 429 carries `Retry-After: retryAfterSeconds` (default 1). */
  failNext(count: number, status?: number, options?: { retryAfterSeconds?: number }): void;
  setWebhookUrl(url: string): void;

  /** An agent resolves the conversation: `conversation_status_changed`, then the activity message's `message_created`. */
  resolve(conversationId: number, options?: { by?: ChatwootAgent }): Promise<ChatwootDelivery>;
  /** The contact writes (reopening a resolved conversation, as Chatwoot does): `message_created`, incoming. */
  incomingMessage(conversationId: number, content: string): Promise<ChatwootDelivery>;
  /** The contact taps an option of our `input_select` in the web widget: `message_updated` with `submitted_values`. */
  submitSelect(messageId: number, option: { title: string } | { value: string }): Promise<ChatwootDelivery>;
  /** An agent runs a macro whose action is "Send webhook event" to `url`: unsigned, `event: "macro.executed"`. */
  runMacro(conversationId: number, url: string): Promise<ChatwootDelivery>;
  /** Chatwoot's `message_created` for a message we created through the API (outgoing). */
  echoOutgoing(messageId: number): Promise<ChatwootDelivery>;
  /** An agent writes a private note: `message_created`, outgoing and private. */
  privateNote(conversationId: number, content: string): Promise<ChatwootDelivery>;
  /** Sidekiq's retry of a delivery: the same body and `X-Chatwoot-Delivery`, signed anew. */
  redeliver(delivery: ChatwootDelivery): Promise<ChatwootDelivery>;
  close(): Promise<void>;
}

const defaultInboxes: ChatwootInbox[] = [
  { id: 1, name: 'Website', channelType: 'Channel::WebWidget' },
  { id: 2, name: 'WhatsApp', channelType: 'Channel::Whatsapp' },
  { id: 3, name: 'Support e-mail', channelType: 'Channel::Email' },
];
const defaultContacts: ChatwootContact[] = [
  { id: 12, name: 'Jane Doe', phoneNumber: '+15550100', email: 'jane@example.com' },
];
const defaultConversations = [
  { id: 10, inboxId: 2, contactId: 12 },
  { id: 11, inboxId: 1, contactId: 12 },
  { id: 12, inboxId: 3, contactId: 12 },
];

export async function startChatwoot(options: ChatwootOptions = {}): Promise<ChatwootStandIn> {
  const accountId = options.accountId ?? 3;
  const apiAccessToken = options.apiAccessToken ?? `cw_${randomUUID().replaceAll('-', '')}`;
  const agent = options.agent ?? { id: 1, name: 'John Agent' };
  const inboxes = options.inboxes ?? defaultInboxes;
  const contacts = options.contacts ?? defaultContacts;
  const conversations = new Map<number, ChatwootConversation>();
  const messages: ChatwootMessage[] = [];
  const allMessages: ChatwootMessage[] = [];
  const calls: ChatwootApiCall[] = [];
  const deliveries: ChatwootDelivery[] = [];
  const mailboxes = new Map<number, Mailbox<ChatwootMessage>>();
  let webhookUrl = options.webhookUrl;
  let failures = { remaining: 0, status: 500, retryAfterSeconds: 1 };
  let nextMessageId = 1000;
  let clock = 0;

  /** `updated_at` as Chatwoot sends it, strictly increasing so two changes within a millisecond differ. */
  const tick = () => {
    clock = Math.max(Date.now() / 1000, clock + 0.001);
    return Number(clock.toFixed(6));
  };
  const mailbox = (conversationId: number) => {
    let box = mailboxes.get(conversationId);
    if (!box) {
      box = new Mailbox(`Chatwoot message in conversation ${conversationId}`);
      mailboxes.set(conversationId, box);
    }
    return box;
  };
  const addConversation: ChatwootStandIn['addConversation'] = (seed) => {
    const id = seed.id ?? Math.max(0, ...conversations.keys()) + 1;
    const conversation: ChatwootConversation = {
      status: 'open',
      labels: [],
      assignee: null,
      team: null,
      updatedAt: tick(),
      ...seed,
      id,
    };
    conversations.set(id, conversation);
    return conversation;
  };
  for (const seed of options.conversations ?? defaultConversations) addConversation(seed);

  const conversation = (id: number) => {
    const found = conversations.get(id);
    if (!found) throw new Error(`the Chatwoot stand-in has no conversation ${id}`);
    return found;
  };
  const inboxOf = (conv: ChatwootConversation) => {
    const inbox = inboxes.find((candidate) => candidate.id === conv.inboxId);
    if (!inbox) throw new Error(`the Chatwoot stand-in has no inbox ${conv.inboxId}`);
    return inbox;
  };
  const contactOf = (conv: ChatwootConversation) => {
    const contact = contacts.find((candidate) => candidate.id === conv.contactId);
    if (!contact) throw new Error(`the Chatwoot stand-in has no contact ${conv.contactId}`);
    return contact;
  };
  const addMessage = (fields: Omit<ChatwootMessage, 'id' | 'createdAt'>) => {
    const message: ChatwootMessage = { ...fields, id: nextMessageId++, createdAt: new Date() };
    allMessages.push(message);
    conversation(message.conversationId).updatedAt = tick();
    return message;
  };

  const payloads = payloadBuilders({ accountId, agent, conversation, inboxOf, contactOf, allMessages });

  /** Signed (with a delivery id kept across retries) when the stand-in has a secret and the webhook is an account one. */
  const fire = async (
    url: string,
    payload: Record<string, unknown>,
    signing: { sign: boolean; deliveryId?: string },
  ) => {
    const rawBody = JSON.stringify(payload);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': 'rest-client/2.1.0 (linux x86_64) ruby/3.4.4p34',
    };
    let deliveryId: string | undefined;
    if (options.webhookSecret && signing.sign) {
      deliveryId = signing.deliveryId ?? randomUUID();
      Object.assign(headers, chatwootSignatureHeaders(options.webhookSecret, rawBody), {
        'x-chatwoot-delivery': deliveryId,
      });
    }
    const response = await fetch(url, { method: 'POST', headers, body: rawBody });
    const delivery: ChatwootDelivery = {
      url,
      event: String(payload.event),
      ...(deliveryId ? { deliveryId } : {}),
      payload,
      rawBody,
      headers,
      status: response.status,
      responseBody: await response.text(),
    };
    deliveries.push(delivery);
    return delivery;
  };
  const fireAccountWebhook = (payload: Record<string, unknown>) => {
    if (!webhookUrl) throw new Error('the Chatwoot stand-in has no webhook URL: pass webhookUrl or call setWebhookUrl');
    return fire(webhookUrl, payload, { sign: true });
  };
  const setStatus = (conv: ChatwootConversation, status: ChatwootConversation['status']) => {
    const previous = conv.status;
    conv.status = status;
    conv.updatedAt = tick();
    return payloads.statusChanged(conv, previous);
  };

  const api = apiRoutes({
    accountId,
    apiAccessToken,
    inboxes,
    conversations,
    agent,
    onMessage: (fields) => {
      const message = addMessage(fields);
      messages.push(message);
      mailbox(message.conversationId).put(message);
      if (options.webhooksForApiChanges) void fireAccountWebhook(payloads.message(message, 'message_created'));
      return payloads.messageResponse(message);
    },
    onStatus: (conv, status) => {
      if (conv.status === status) return;
      const payload = setStatus(conv, status);
      if (options.webhooksForApiChanges) void fireAccountWebhook(payload);
    },
  });

  const server = await startLocalServer((request) => {
    const path = request.url.split('?')[0] ?? '/';
    const body = jsonObject(request.rawBody);
    const token = request.headers.api_access_token;
    const reply = (() => {
      if (failures.remaining > 0) {
        failures = { ...failures, remaining: failures.remaining - 1 };
        return failures.status === 429
          ? {
              status: 429,
              body: 'Retry later\n',
              headers: { 'content-type': 'text/plain', 'retry-after': String(failures.retryAfterSeconds) },
            }
          : { status: failures.status, body: { error: 'Internal Server Error' } };
      }
      return api(request.method, path, body, typeof token === 'string' ? token : undefined);
    })();
    calls.push({ method: request.method, path, body, status: reply.status });
    return reply;
  });

  return {
    url: server.url,
    accountId,
    apiAccessToken,
    messages,
    calls,
    deliveries,
    conversation,
    addConversation,
    nextMessage: (conversationId, waitOptions) => mailbox(conversationId).next(waitOptions),
    failNext: (count, status = 500, failOptions = {}) => {
      failures = { remaining: count, status, retryAfterSeconds: failOptions.retryAfterSeconds ?? 1 };
    },
    setWebhookUrl: (url) => {
      webhookUrl = url;
    },

    async resolve(conversationId, resolveOptions = {}) {
      const conv = conversation(conversationId);
      const delivery = await fireAccountWebhook(setStatus(conv, 'resolved'));
      const by = resolveOptions.by ?? agent;
      const activity = addMessage({
        conversationId,
        content: `Conversation was marked resolved by ${by.name}`,
        contentType: 'text',
        contentAttributes: {},
        messageType: 'activity',
        private: false,
        sender: null,
      });
      await fireAccountWebhook(payloads.message(activity, 'message_created'));
      return delivery;
    },

    async incomingMessage(conversationId, content) {
      const conv = conversation(conversationId);
      const message = addMessage({
        conversationId,
        content,
        contentType: 'text',
        contentAttributes: {},
        messageType: 'incoming',
        private: false,
        sender: { type: 'contact', id: conv.contactId },
      });
      // Message#reopen_conversation runs before the webhook is built.
      if (conv.status === 'resolved' || conv.status === 'snoozed') {
        conv.status = 'open';
        conv.updatedAt = tick();
      }
      return fireAccountWebhook(payloads.message(message, 'message_created'));
    },

    async submitSelect(messageId, option) {
      const message = allMessages.find((candidate) => candidate.id === messageId);
      if (message?.contentType !== 'input_select') {
        throw new Error(`message ${messageId} is not an input_select the stand-in sent`);
      }
      const items = Array.isArray(message.contentAttributes.items)
        ? message.contentAttributes.items.filter(isRecord)
        : [];
      const item = items.find((candidate) =>
        'title' in option ? candidate.title === option.title : candidate.value === option.value,
      );
      if (!item) throw new Error(`message ${messageId} has no option ${JSON.stringify(option)}`);
      message.contentAttributes = { ...message.contentAttributes, submitted_values: [item] };
      return fireAccountWebhook(payloads.message(message, 'message_updated'));
    },

    runMacro: (conversationId, url) =>
      fire(url, { ...payloads.conversation(conversation(conversationId)), event: 'macro.executed' }, { sign: false }),

    async echoOutgoing(messageId) {
      const message = allMessages.find((candidate) => candidate.id === messageId);
      if (!message) throw new Error(`the Chatwoot stand-in has no message ${messageId}`);
      return fireAccountWebhook(payloads.message(message, 'message_created'));
    },

    privateNote(conversationId, content) {
      const note = addMessage({
        conversationId,
        content,
        contentType: 'text',
        contentAttributes: {},
        messageType: 'outgoing',
        private: true,
        sender: { type: 'user', id: agent.id },
      });
      return fireAccountWebhook(payloads.message(note, 'message_created'));
    },

    redeliver: (delivery) =>
      fire(delivery.url, delivery.payload, {
        sign: delivery.deliveryId !== undefined,
        ...(delivery.deliveryId ? { deliveryId: delivery.deliveryId } : {}),
      }),

    close: () => server.close(),
  };
}

/** `X-Chatwoot-Timestamp` and `X-Chatwoot-Signature` over `"<timestamp>.<body>"`, as Chatwoot ≥ 4.11 signs. */
export function chatwootSignatureHeaders(secret: string, rawBody: string, now = Date.now()): Record<string, string> {
  const timestamp = String(Math.floor(now / 1000));
  const signature = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
  return { 'x-chatwoot-timestamp': timestamp, 'x-chatwoot-signature': `sha256=${signature}` };
}

interface ApiContext {
  accountId: number;
  apiAccessToken: string;
  inboxes: readonly ChatwootInbox[];
  conversations: Map<number, ChatwootConversation>;
  agent: ChatwootAgent;
  onMessage(fields: Omit<ChatwootMessage, 'id' | 'createdAt'>): unknown;
  onStatus(conversation: ChatwootConversation, status: ChatwootConversation['status']): void;
}

type ApiReply = { status: number; body?: unknown; headers?: Record<string, string> };

const NOT_FOUND: ApiReply = { status: 404, body: { error: 'Resource could not be found' } };

/** The account API's routes the adapter uses, answered as Chatwoot's controllers answer them. */
function apiRoutes(ctx: ApiContext) {
  return (
    method: string,
    path: string,
    body: Record<string, unknown> | undefined,
    token: string | undefined,
  ): ApiReply => {
    const match = /^\/api\/v1\/accounts\/(\d+)(\/.*)$/.exec(path);
    if (!match) return NOT_FOUND;
    if (token !== ctx.apiAccessToken) return { status: 401, body: { error: 'Invalid Access Token' } };
    if (Number(match[1]) !== ctx.accountId) return NOT_FOUND;
    const rest = match[2] ?? '';
    if (method === 'GET' && rest === '/inboxes') {
      return {
        status: 200,
        body: {
          payload: ctx.inboxes.map((inbox) => ({ id: inbox.id, name: inbox.name, channel_type: inbox.channelType })),
        },
      };
    }
    const conversationRoute = /^\/conversations\/(\d+)\/(messages|labels|assignments|toggle_status)$/.exec(rest);
    if (!conversationRoute) return NOT_FOUND;
    const conv = ctx.conversations.get(Number(conversationRoute[1]));
    if (!conv) return NOT_FOUND;
    const fields = body ?? {};
    switch (`${method} ${conversationRoute[2]}`) {
      case 'POST messages':
        return createMessage(ctx, conv, fields);
      case 'GET labels':
        return { status: 200, body: { payload: conv.labels } };
      case 'POST labels': {
        const labels = Array.isArray(fields.labels) ? fields.labels.map(String) : [];
        conv.labels = labels;
        return { status: 200, body: { payload: labels } };
      }
      case 'POST assignments':
        if ('assignee_id' in fields) {
          conv.assignee = { id: Number(fields.assignee_id), name: `Agent ${fields.assignee_id}` };
          return { status: 200, body: { id: conv.assignee.id, name: conv.assignee.name, type: 'user' } };
        }
        if ('team_id' in fields) {
          conv.team = { id: Number(fields.team_id), name: `Team ${fields.team_id}` };
          return { status: 200, body: { id: conv.team.id, name: conv.team.name } };
        }
        return { status: 200, body: null };
      case 'POST toggle_status': {
        const status = fields.status ?? (conv.status === 'open' ? 'resolved' : 'open');
        if (status !== 'open' && status !== 'resolved' && status !== 'pending' && status !== 'snoozed') {
          return { status: 422, body: { error: `'${String(status)}' is not a valid status` } };
        }
        ctx.onStatus(conv, status);
        return {
          status: 200,
          body: {
            meta: {},
            payload: { success: true, conversation_id: conv.id, current_status: status, snoozed_until: null },
          },
        };
      }
      default:
        return NOT_FOUND;
    }
  };
}

/** `POST …/messages`: Messages::MessageBuilder, with ContentAttributeValidator's check of input_select items. */
function createMessage(ctx: ApiContext, conv: ChatwootConversation, fields: Record<string, unknown>): ApiReply {
  const contentType = typeof fields.content_type === 'string' ? fields.content_type : 'text';
  const attributes = isRecord(fields.content_attributes) ? fields.content_attributes : {};
  if (contentType === 'input_select') {
    const items = attributes.items;
    const valid =
      Array.isArray(items) &&
      items.length > 0 &&
      items.every((item) => isRecord(item) && typeof item.title === 'string' && typeof item.value === 'string');
    if (!valid) {
      return { status: 422, body: { message: 'Content attributes Items title and value are required' } };
    }
  }
  const content = typeof fields.content === 'string' ? fields.content : null;
  const body = ctx.onMessage({
    conversationId: conv.id,
    content,
    contentType,
    contentAttributes: attributes,
    messageType: fields.message_type === 'incoming' ? 'incoming' : 'outgoing',
    private: fields.private === true,
    sender: { type: 'user', id: ctx.agent.id },
  });
  return { status: 200, body };
}

interface PayloadContext {
  accountId: number;
  agent: ChatwootAgent;
  conversation(id: number): ChatwootConversation;
  inboxOf(conversation: ChatwootConversation): ChatwootInbox;
  contactOf(conversation: ChatwootConversation): ChatwootContact;
  allMessages: readonly ChatwootMessage[];
}

const MESSAGE_TYPES = { incoming: 0, outgoing: 1, activity: 2, template: 3 } as const;

/** Payloads shaped like Chatwoot's presenters and `webhook_data` methods. */
function payloadBuilders(ctx: PayloadContext) {
  const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
  const contactPush = (contact: ChatwootContact) => ({
    additional_attributes: {},
    custom_attributes: {},
    email: contact.email ?? null,
    id: contact.id,
    identifier: null,
    name: contact.name,
    phone_number: contact.phoneNumber ?? null,
    thumbnail: '',
    blocked: false,
    type: 'contact',
  });
  const userData = (user: ChatwootAgent) => ({
    id: user.id,
    name: user.name,
    email: `agent${user.id}@example.com`,
    type: 'user',
  });
  /** `Message#push_event_data`: the last chat message inside a conversation payload. */
  const messagePush = (message: ChatwootMessage, conv: ChatwootConversation) => ({
    id: message.id,
    content: message.content,
    account_id: ctx.accountId,
    inbox_id: conv.inboxId,
    conversation_id: conv.id,
    message_type: MESSAGE_TYPES[message.messageType],
    created_at: seconds(message.createdAt),
    updated_at: message.createdAt.toISOString(),
    private: message.private,
    status: 'sent',
    source_id: null,
    content_type: message.contentType,
    content_attributes: message.contentAttributes,
    sender_type: message.sender?.type === 'contact' ? 'Contact' : message.sender ? 'User' : null,
    sender_id: message.sender?.id ?? null,
    processed_message_content: message.content,
  });
  /** `Conversations::EventDataPresenter#push_data`, which is also the conversation's `webhook_data`. */
  const conversationData = (conv: ChatwootConversation) => {
    const inbox = ctx.inboxOf(conv);
    const lastChat = ctx.allMessages.filter(
      (message) => message.conversationId === conv.id && message.messageType !== 'activity' && !message.private,
    );
    const last = lastChat.at(-1);
    return {
      additional_attributes: {},
      can_reply: true,
      channel: inbox.channelType,
      contact_inbox: {
        id: conv.id * 10,
        contact_id: conv.contactId,
        inbox_id: conv.inboxId,
        source_id: ctx.contactOf(conv).phoneNumber?.replace('+', '') ?? randomUUID(),
        created_at: '2026-01-05T09:00:00.000Z',
        updated_at: '2026-01-05T09:00:00.000Z',
        hmac_verified: false,
        pubsub_token: 'pubsub-token',
      },
      id: conv.id,
      inbox_id: conv.inboxId,
      messages: last ? [messagePush(last, conv)] : [],
      labels: conv.labels,
      meta: {
        sender: contactPush(ctx.contactOf(conv)),
        assignee: conv.assignee
          ? {
              ...userData(conv.assignee),
              available_name: conv.assignee.name,
              availability_status: 'online',
              thumbnail: '',
            }
          : null,
        assignee_type: conv.assignee ? 'User' : null,
        team: conv.team ? { id: conv.team.id, name: conv.team.name, allow_auto_assign: true } : null,
        hmac_verified: false,
      },
      status: conv.status,
      custom_attributes: {},
      snoozed_until: null,
      unread_count: 0,
      first_reply_created_at: null,
      priority: null,
      waiting_since: 0,
      agent_last_seen_at: 0,
      contact_last_seen_at: 0,
      last_activity_at: Math.floor(conv.updatedAt),
      timestamp: Math.floor(conv.updatedAt),
      created_at: 1_767_603_600,
      updated_at: conv.updatedAt,
    };
  };
  /** `Message#webhook_data` plus the event name, as WebhookListener sends it. */
  const message = (msg: ChatwootMessage, event: 'message_created' | 'message_updated') => {
    const conv = ctx.conversation(msg.conversationId);
    const inbox = ctx.inboxOf(conv);
    const sender = (() => {
      if (msg.sender?.type === 'contact') return contactPush(ctx.contactOf(conv));
      if (msg.sender?.type === 'user')
        return userData(msg.sender.id === ctx.agent.id ? ctx.agent : { id: msg.sender.id, name: 'Agent' });
      return null;
    })();
    return {
      account: { id: ctx.accountId, name: 'Acme Support' },
      additional_attributes: {},
      content_attributes: msg.contentAttributes,
      content_type: msg.contentType,
      content: msg.content,
      conversation: conversationData(conv),
      created_at: msg.createdAt.toISOString(),
      id: msg.id,
      inbox: { id: inbox.id, name: inbox.name },
      message_type: msg.messageType,
      private: msg.private,
      sender,
      source_id: null,
      event,
    };
  };
  return {
    conversation: conversationData,
    message,
    statusChanged: (conv: ChatwootConversation, previous: ChatwootConversation['status']) => ({
      ...conversationData(conv),
      event: 'conversation_status_changed',
      changed_attributes: [{ status: { previous_value: previous, current_value: conv.status } }],
    }),
    /** What `POST …/messages` answers: the message's JSON as the API builder renders it. */
    messageResponse: (msg: ChatwootMessage) => {
      const conv = ctx.conversation(msg.conversationId);
      return { ...messagePush(msg, conv), sender: { ...userData(ctx.agent), thumbnail: '' } };
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A request's JSON object: every body Chatwoot's API takes is one. */
function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
