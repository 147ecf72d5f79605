import { createHmac, randomBytes } from 'node:crypto';
import { type ReceivedRequest, type Reply, startLocalServer } from '../support/http-server.ts';
import { Mailbox } from '../support/mailbox.ts';

/**
 * Stands in for Meta's WhatsApp Cloud API over real HTTP on 127.0.0.1, both ways:
 * - the Graph API a connection's `graphBaseUrl` points at: `POST /{version}/{phone_number_id}/messages`
 *   (Bearer token checked, bodies held to Meta's limits, the 24-hour window enforced with error
 *   131047, approved templates only) and `GET /{version}/{phone_number_id}` (the connection check);
 * - Meta's webhooks: signed `X-Hub-Signature-256` over the exact bytes, which escape non-ASCII
 *   and "/" as Meta's do, posted to the callback URL given to `subscribe`, and the GET handshake.
 * Errors come in Meta's shape: `{ error: { message, type, code, error_data: { details }, fbtrace_id } }`.
 */

export interface MetaDelivery {
  /** The exact bytes posted. */
  rawBody: string;
  /** `content-type` and `x-hub-signature-256`, lower-case as an adapter receives them. */
  headers: Record<string, string>;
  /** The wamids of the contact messages it carries. */
  wamids: string[];
  /** Who wrote those messages (their `wa_id`). */
  senders: string[];
  payload: WebhookPayload;
}

export interface WebhookPayload {
  object: 'whatsapp_business_account';
  entry: { id: string; changes: { field: 'messages'; value: Record<string, unknown> }[] }[];
}

interface Reference {
  /** The wamid of our message the contact answered. */
  contextId?: string;
  /** The contact's profile name. */
  name?: string;
}

export interface MetaWebhooks {
  text(from: string, body: string, options?: Reference): MetaDelivery;
  buttonReply(from: string, id: string, title: string, options?: Reference): MetaDelivery;
  listReply(from: string, id: string, title: string, options?: Reference & { description?: string }): MetaDelivery;
  /** A tap on a template's quick-reply button: `payload` is what the send gave that button. */
  templateButton(from: string, payload: string, text: string, options?: Reference): MetaDelivery;
  /** A `failed` status of one of our messages, with `runId` as its `biz_opaque_callback_data`. */
  failedStatus(messageId: string, options?: { runId?: string; code?: number; recipientId?: string }): MetaDelivery;
  /** Several deliveries' entries in one POST, as Meta batches them. */
  batch(...deliveries: MetaDelivery[]): MetaDelivery;
}

/** What Meta says for the error codes the stand-in produces: title, then details. */
const META_ERRORS: Record<number, { title: string; details: string; type?: string }> = {
  2: { title: 'Service temporarily unavailable', details: 'An unexpected error has occurred. Please retry later.' },
  100: { title: 'Invalid parameter', details: 'Invalid parameter', type: 'GraphMethodException' },
  130429: { title: 'Rate limit hit', details: 'Cloud API message throughput has been reached.' },
  131009: { title: 'Parameter value is not valid', details: 'Parameter value is not valid' },
  131026: { title: 'Message undeliverable', details: 'Unable to deliver message.' },
  131047: {
    title: 'Re-engagement message',
    details:
      'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  },
  132000: {
    title: 'Number of parameters does not match the expected number of params',
    details: 'The number of parameters does not match the template.',
  },
  132001: { title: 'Template name does not exist in the translation', details: 'The template does not exist.' },
};

/** Builds Meta's webhook calls for one number of one app, signed with the app secret. */
export function metaWebhooks(options: {
  phoneNumberId: string;
  appSecret: string;
  displayPhoneNumber?: string;
  wabaId?: string;
}): MetaWebhooks {
  const displayPhoneNumber = options.displayPhoneNumber ?? '15550783881';
  const wabaId = options.wabaId ?? '102290129340398';
  const now = () => String(Math.floor(Date.now() / 1000));

  const deliver = (value: Record<string, unknown>, wamids: string[] = [], senders: string[] = []) =>
    metaDelivery(
      {
        object: 'whatsapp_business_account',
        entry: [
          {
            id: wabaId,
            changes: [
              {
                field: 'messages',
                value: {
                  messaging_product: 'whatsapp',
                  metadata: { display_phone_number: displayPhoneNumber, phone_number_id: options.phoneNumberId },
                  ...value,
                },
              },
            ],
          },
        ],
      },
      options.appSecret,
      wamids,
      senders,
    );

  const contactMessage = (from: string, reference: Reference, content: Record<string, unknown>) => {
    const id = wamid();
    return deliver(
      {
        contacts: [{ profile: { name: reference.name ?? 'Ada' }, wa_id: from }],
        messages: [
          {
            ...(reference.contextId ? { context: { from: displayPhoneNumber, id: reference.contextId } } : {}),
            from,
            id,
            timestamp: now(),
            ...content,
          },
        ],
      },
      [id],
      [from],
    );
  };

  return {
    text: (from, body, reference = {}) => contactMessage(from, reference, { type: 'text', text: { body } }),
    buttonReply: (from, id, title, reference = {}) =>
      contactMessage(from, reference, {
        type: 'interactive',
        interactive: { type: 'button_reply', button_reply: { id, title } },
      }),
    listReply: (from, id, title, reference = {}) =>
      contactMessage(from, reference, {
        type: 'interactive',
        interactive: {
          type: 'list_reply',
          list_reply: { id, title, ...(reference.description ? { description: reference.description } : {}) },
        },
      }),
    templateButton: (from, payload, text, reference = {}) =>
      contactMessage(from, reference, { type: 'button', button: { payload, text } }),
    failedStatus: (messageId, failure = {}) => {
      const code = failure.code ?? 131047;
      const known = META_ERRORS[code];
      const title = known?.title ?? 'Message failed to send';
      return deliver({
        statuses: [
          {
            id: messageId,
            status: 'failed',
            timestamp: now(),
            recipient_id: failure.recipientId ?? '15550100',
            ...(failure.runId ? { biz_opaque_callback_data: failure.runId } : {}),
            errors: [
              {
                code,
                title,
                message: title,
                error_data: { details: known?.details ?? title },
                href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
              },
            ],
          },
        ],
      });
    },
    batch: (...deliveries) =>
      metaDelivery(
        { object: 'whatsapp_business_account', entry: deliveries.flatMap((delivery) => delivery.payload.entry) },
        options.appSecret,
        deliveries.flatMap((delivery) => delivery.wamids),
        deliveries.flatMap((delivery) => delivery.senders),
      ),
  };
}

/** A webhook POST of `payload` as Meta sends it: its exact bytes and signature. */
export function metaDelivery(
  payload: WebhookPayload,
  appSecret: string,
  wamids: string[] = [],
  senders: string[] = [],
): MetaDelivery {
  const rawBody = encodeLikeMeta(payload);
  return {
    rawBody,
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': metaSignature(rawBody, appSecret),
    },
    wamids,
    senders,
    payload,
  };
}

/** `X-Hub-Signature-256` of these bytes. */
export function metaSignature(rawBody: string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

/** Meta's JSON escapes every non-ASCII character as \uXXXX and "/" as "\/": a re-serialized body differs. */
export function encodeLikeMeta(payload: unknown): string {
  return JSON.stringify(payload)
    .replace(/[\u007f-\uffff]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');
}

function wamid(): string {
  return `wamid.${randomBytes(24).toString('base64url')}`;
}

export interface SentMessage {
  to: string;
  type: 'text' | 'interactive' | 'template';
  /** The wamid answered. */
  id: string;
  /** `biz_opaque_callback_data`. */
  runId: string | undefined;
  /** The text, or an interactive message's body text; undefined for a template. */
  text: string | undefined;
  /** Reply buttons, list rows, or a template's quick-reply payloads (no title: the template has it). */
  choices: { id: string; title?: string }[];
  /** `button` or `list` for an interactive message. */
  interactive: string | undefined;
  template: { name: string; language: string } | undefined;
  /** The JSON body as posted. */
  body: Record<string, unknown>;
}

export interface GraphCall {
  method: string;
  /** Path and query as received. */
  url: string;
  status: number;
  body: unknown;
}

export interface ApprovedTemplate {
  name: string;
  language: string;
  /** How many quick-reply buttons it has. */
  quickReplies: number;
}

export interface WebhookAnswer {
  status: number;
  body: string;
}

export interface WhatsAppCloudStandIn {
  /** The connection's `graphBaseUrl`. */
  url: string;
  phoneNumberId: string;
  /** Messages accepted, in arrival order. */
  readonly messages: readonly SentMessage[];
  /** Every Graph API call, refused ones included. */
  readonly calls: readonly GraphCall[];
  /** The oldest message to `waId` not taken yet, or the next to arrive. */
  nextMessage(waId: string, options?: { timeoutMs?: number }): Promise<SentMessage>;
  /** Answer the next `count` Graph calls as Meta does when down (500) or throttling (429). */
  failNext(count: number, status?: 500 | 429): void;
  /** Free-form and interactive messages to `waId` get error 131047 until `waId` writes again. */
  closeWindow(waId: string): void;
  /** Where webhooks go: the callback URL configured in the Meta app. */
  subscribe(callbackUrl: string): void;
  /** Builders for this number's webhooks, to deliver or to hand an adapter directly. */
  webhooks: MetaWebhooks;
  /** Posts a delivery to the callback URL; a contact's message reopens their window, as on WhatsApp. */
  deliver(delivery: MetaDelivery): Promise<WebhookAnswer>;
  /** Posts the last delivery again, same bytes and wamids (Meta delivers at least once). */
  redeliver(): Promise<WebhookAnswer>;
  text(from: string, body: string, options?: Reference): Promise<WebhookAnswer & { wamid: string }>;
  buttonReply(from: string, id: string, title: string, options?: Reference): Promise<WebhookAnswer & { wamid: string }>;
  listReply(from: string, id: string, title: string, options?: Reference): Promise<WebhookAnswer & { wamid: string }>;
  templateButton(
    from: string,
    payload: string,
    text: string,
    options?: Reference,
  ): Promise<WebhookAnswer & { wamid: string }>;
  /** A `failed` status of a message we accepted: its recipient and run id are taken from it unless given. */
  failedStatus(messageId: string, options?: { runId?: string; code?: number }): Promise<WebhookAnswer>;
  batch(...deliveries: MetaDelivery[]): Promise<WebhookAnswer>;
  /** Meta's GET handshake on the callback URL. */
  verify(verifyToken: string, challenge?: string): Promise<WebhookAnswer>;
  close(): Promise<void>;
}

export async function startWhatsAppCloud(options: {
  phoneNumberId: string;
  accessToken: string;
  appSecret: string;
  templates?: readonly ApprovedTemplate[];
  displayPhoneNumber?: string;
  verifiedName?: string;
}): Promise<WhatsAppCloudStandIn> {
  const messages: SentMessage[] = [];
  const calls: GraphCall[] = [];
  const mailboxes = new Map<string, Mailbox<SentMessage>>();
  const mailbox = (waId: string) => {
    const box = mailboxes.get(waId) ?? new Mailbox<SentMessage>(`WhatsApp message to ${waId}`);
    mailboxes.set(waId, box);
    return box;
  };
  const closedWindows = new Set<string>();
  let failures = { remaining: 0, status: 500 };
  let callbackUrl: string | undefined;
  let lastDelivery: MetaDelivery | undefined;
  const webhooks = metaWebhooks({ phoneNumberId: options.phoneNumberId, appSecret: options.appSecret });

  const answer = (request: ReceivedRequest): Reply => {
    const path = new URL(request.url, 'http://graph').pathname;
    const match = path.match(/^\/v\d+\.\d+\/([^/]+)(\/messages)?$/);
    if (failures.remaining > 0) {
      failures = { ...failures, remaining: failures.remaining - 1 };
      return metaError(failures.status, failures.status === 429 ? 130429 : 2);
    }
    if (request.headers.authorization !== `Bearer ${options.accessToken}`) {
      return metaError(401, 190, 'Invalid OAuth access token - Cannot parse access token', 'OAuthException');
    }
    if (!match || match[1] !== options.phoneNumberId) {
      const id = match?.[1] ?? path;
      return metaError(
        400,
        100,
        `Unsupported ${request.method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      );
    }
    if (request.method === 'GET' && !match[2]) return { status: 200, body: phoneNumber(request.url) };
    if (request.method !== 'POST' || !match[2]) return metaError(400, 100, 'Unsupported request method');
    return accept(request.rawBody);
  };

  const phoneNumber = (url: string) => {
    const fields = new URL(url, 'http://graph').searchParams.get('fields')?.split(',') ?? [];
    const all: Record<string, string> = {
      display_phone_number: options.displayPhoneNumber ?? '+1 555-078-3881',
      verified_name: options.verifiedName ?? 'Convoflow Test',
    };
    return {
      ...Object.fromEntries(fields.filter((field) => field in all).map((field) => [field, all[field]])),
      id: options.phoneNumberId,
    };
  };

  const accept = (rawBody: string): Reply => {
    const body = parseJson(rawBody);
    if (!isObject(body) || body.messaging_product !== 'whatsapp' || typeof body.to !== 'string') {
      return metaError(400, 100, 'The parameter messaging_product is required.');
    }
    const read = readMessage(body, options.templates ?? []);
    if ('refusal' in read) return read.refusal;
    if (read.type !== 'template' && closedWindows.has(body.to)) return metaError(400, 131047);
    const sent: SentMessage = {
      ...read,
      to: body.to,
      id: wamid(),
      runId: typeof body.biz_opaque_callback_data === 'string' ? body.biz_opaque_callback_data : undefined,
      body,
    };
    messages.push(sent);
    mailbox(sent.to).put(sent);
    return {
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        contacts: [{ input: sent.to, wa_id: sent.to }],
        messages: [{ id: sent.id, ...(sent.type === 'template' ? { message_status: 'accepted' } : {}) }],
      },
    };
  };

  const server = await startLocalServer((request) => {
    const reply = answer(request);
    calls.push({ method: request.method, url: request.url, status: reply.status, body: parseJson(request.rawBody) });
    return reply;
  });

  const deliver = async (delivery: MetaDelivery): Promise<WebhookAnswer> => {
    if (!callbackUrl) throw new Error('No callback URL: call subscribe(url) first, as the Meta app is configured');
    lastDelivery = delivery;
    for (const sender of delivery.senders) closedWindows.delete(sender);
    const response = await fetch(callbackUrl, {
      method: 'POST',
      headers: { ...delivery.headers, 'user-agent': 'facebookexternalua' },
      body: delivery.rawBody,
    });
    return { status: response.status, body: await response.text() };
  };
  const fired = async (delivery: MetaDelivery) => ({ ...(await deliver(delivery)), wamid: delivery.wamids[0]! });

  return {
    url: server.url,
    phoneNumberId: options.phoneNumberId,
    messages,
    calls,
    nextMessage: (waId, waitOptions) => mailbox(waId).next(waitOptions),
    failNext: (count, status = 500) => {
      failures = { remaining: count, status };
    },
    closeWindow: (waId) => closedWindows.add(waId),
    subscribe: (url) => {
      callbackUrl = url;
    },
    webhooks,
    deliver,
    redeliver: () => {
      if (!lastDelivery) throw new Error('Nothing delivered yet');
      return deliver(lastDelivery);
    },
    text: (from, body, reference) => fired(webhooks.text(from, body, reference)),
    buttonReply: (from, id, title, reference) => fired(webhooks.buttonReply(from, id, title, reference)),
    listReply: (from, id, title, reference) => fired(webhooks.listReply(from, id, title, reference)),
    templateButton: (from, payload, text, reference) => fired(webhooks.templateButton(from, payload, text, reference)),
    failedStatus: (messageId, failure = {}) => {
      const ours = messages.find((message) => message.id === messageId);
      const runId = failure.runId ?? ours?.runId;
      return deliver(
        webhooks.failedStatus(messageId, {
          ...failure,
          ...(runId ? { runId } : {}),
          ...(ours ? { recipientId: ours.to } : {}),
        }),
      );
    },
    batch: (...deliveries) => deliver(webhooks.batch(...deliveries)),
    verify: async (verifyToken, challenge = String(Math.floor(Math.random() * 1e9))) => {
      if (!callbackUrl) throw new Error('No callback URL: call subscribe(url) first');
      const url = new URL(callbackUrl);
      url.searchParams.set('hub.mode', 'subscribe');
      url.searchParams.set('hub.verify_token', verifyToken);
      url.searchParams.set('hub.challenge', challenge);
      const response = await fetch(url);
      return { status: response.status, body: await response.text() };
    },
    close: () => server.close(),
  };
}

type ReadMessage = Pick<SentMessage, 'type' | 'text' | 'choices' | 'interactive' | 'template'>;

/** What a message body asks for, or Meta's refusal when it breaks a limit Meta enforces. */
function readMessage(
  body: Record<string, unknown>,
  templates: readonly ApprovedTemplate[],
): ReadMessage | { refusal: Reply } {
  const invalid = (details: string) => ({ refusal: metaError(400, 131009, undefined, undefined, details) });
  if (body.type === 'text') {
    const text = isObject(body.text) ? body.text.body : undefined;
    if (typeof text !== 'string' || text.length === 0 || text.length > 4096) {
      return invalid('text.body is required and at most 4096 characters');
    }
    return { type: 'text', text, choices: [], interactive: undefined, template: undefined };
  }
  if (body.type === 'interactive' && isObject(body.interactive)) {
    const { type, body: content, action } = body.interactive;
    const text = isObject(content) ? content.text : undefined;
    if (typeof text !== 'string' || text.length === 0 || text.length > 1024) {
      return invalid('interactive.body.text is required and at most 1024 characters');
    }
    if (!isObject(action)) return invalid('interactive.action is required');
    const choices =
      type === 'button' && Array.isArray(action.buttons)
        ? action.buttons.map((button) => (isObject(button) && isObject(button.reply) ? button.reply : {}))
        : type === 'list' && Array.isArray(action.sections)
          ? action.sections.flatMap((section) => (isObject(section) && Array.isArray(section.rows) ? section.rows : []))
          : undefined;
    if (!choices) return invalid(`interactive.type "${String(type)}" is not button or list with its action`);
    const [most, titleMax, idMax] = type === 'button' ? [3, 20, 256] : [10, 24, 200];
    if (choices.length === 0 || choices.length > most) return invalid(`${type}: 1 to ${most} options`);
    if (type === 'list' && (typeof action.button !== 'string' || action.button.length > 20)) {
      return invalid('Button label length invalid. Max length: 20');
    }
    const read = choices.map((choice) => ({ id: String(choice.id ?? ''), title: String(choice.title ?? '') }));
    const bad = read.find(
      (choice) => !choice.id || choice.id.length > idMax || !choice.title || choice.title.length > titleMax,
    );
    if (bad) return invalid(`Title length invalid. Min length: 1, Max length: ${titleMax} (id at most ${idMax})`);
    if (new Set(read.map((choice) => choice.id)).size !== read.length) return invalid('Option ids must be unique');
    return { type: 'interactive', text, choices: read, interactive: String(type), template: undefined };
  }
  if (body.type === 'template' && isObject(body.template)) {
    const { name, language, components } = body.template;
    const code = isObject(language) ? language.code : undefined;
    const approved = templates.find((template) => template.name === name && template.language === code);
    if (!approved) {
      return {
        refusal: metaError(
          400,
          132001,
          undefined,
          undefined,
          `template name (${String(name)}) does not exist in ${code}`,
        ),
      };
    }
    const payloads = (Array.isArray(components) ? components : []).flatMap((component) =>
      isObject(component) && component.sub_type === 'quick_reply' && Array.isArray(component.parameters)
        ? component.parameters.map((parameter) => ({ id: String(isObject(parameter) ? parameter.payload : '') }))
        : [],
    );
    if (payloads.length > approved.quickReplies) return { refusal: metaError(400, 132000) };
    return {
      type: 'template',
      text: undefined,
      choices: payloads,
      interactive: undefined,
      template: { name: String(name), language: String(code) },
    };
  }
  return { refusal: metaError(400, 100, '(#100) Param type must be one of {TEXT, INTERACTIVE, TEMPLATE, …}') };
}

function metaError(status: number, code: number, message?: string, type?: string, details?: string): Reply {
  const known = META_ERRORS[code];
  return {
    status,
    body: {
      error: {
        message: message ?? `(#${code}) ${known?.title ?? 'Error'}`,
        type: type ?? known?.type ?? 'OAuthException',
        code,
        ...(code === 190 || code === 100
          ? {}
          : { error_data: { messaging_product: 'whatsapp', details: details ?? known?.details } }),
        fbtrace_id: randomBytes(12).toString('base64url'),
      },
    },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
