import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { type ConversationClosedEvent, type InboundMessage, OutboundChannelMessage } from '@convoflow/engine';
import { startLocalServer } from '../support/http-server.ts';
import { Mailbox } from '../support/mailbox.ts';

/**
 * Stands in for the chat platform, over real HTTP on 127.0.0.1:
 * - receives our outbound messages at `POST /webhook` (what `CHANNEL_WEBHOOK_URL` points at),
 *   verifying `X-Signature-256` against the shared secret as a real platform would;
 * - sends the platform's own calls to our server, signed: conversation closed, contact replies.
 */

export interface Rejection {
  reason: string;
  rawBody: string;
  signature: string | undefined;
}

export interface ChatPlatform {
  /** Base URL of the stand-in. */
  url: string;
  /** Set `CHANNEL_WEBHOOK_URL` to this. */
  webhookUrl: string;
  /** Every message accepted, in arrival order. */
  readonly messages: readonly OutboundChannelMessage[];
  messagesFor(conversationId: string): OutboundChannelMessage[];
  /** Calls refused (bad or missing signature, not the contract's shape), in arrival order. */
  readonly rejections: readonly Rejection[];
  /** Every POST that reached /webhook, accepted or not. */
  readonly attempts: number;
  /** The oldest message to this conversation not yet taken, or the next one to arrive. */
  nextMessage(conversationId: string, options?: { timeoutMs?: number }): Promise<OutboundChannelMessage>;
  /** Answer the next `count` correctly signed deliveries with `status` (not stored), as a platform outage would. */
  failNext(count: number, status?: number): void;
  close(): Promise<void>;
}

export async function startChatPlatform(options: { webhookSecret: string }): Promise<ChatPlatform> {
  const messages: OutboundChannelMessage[] = [];
  const rejections: Rejection[] = [];
  const mailboxes = new Map<string, Mailbox<OutboundChannelMessage>>();
  const mailbox = (conversationId: string) => {
    let box = mailboxes.get(conversationId);
    if (!box) {
      box = new Mailbox(`message to conversation ${conversationId}`);
      mailboxes.set(conversationId, box);
    }
    return box;
  };
  let failures: { remaining: number; status: number } = { remaining: 0, status: 500 };
  let attempts = 0;

  const server = await startLocalServer(({ method, url, headers, rawBody }) => {
    if (method !== 'POST' || url !== '/webhook') return { status: 404, body: { error: 'not found' } };
    attempts += 1;
    const signature = typeof headers['x-signature-256'] === 'string' ? headers['x-signature-256'] : undefined;
    const timestamp = typeof headers['x-signature-timestamp'] === 'string' ? headers['x-signature-timestamp'] : '';
    const problem = signatureProblem(rawBody, signature, timestamp, options.webhookSecret);
    if (problem) {
      rejections.push({ reason: problem, rawBody, signature });
      return { status: 401, body: { error: 'invalid signature' } };
    }
    const parsed = OutboundChannelMessage.safeParse(parseJson(rawBody));
    if (!parsed.success) {
      rejections.push({ reason: `not an outbound message: ${parsed.error.message}`, rawBody, signature });
      return { status: 400, body: { error: 'invalid message' } };
    }
    if (failures.remaining > 0) {
      failures = { ...failures, remaining: failures.remaining - 1 };
      return { status: failures.status, body: { error: 'temporarily unavailable' } };
    }
    messages.push(parsed.data);
    mailbox(parsed.data.conversationId).put(parsed.data);
    return { status: 200, body: { ok: true } };
  });

  return {
    url: server.url,
    webhookUrl: `${server.url}/webhook`,
    messages,
    messagesFor: (conversationId) => messages.filter((message) => message.conversationId === conversationId),
    rejections,
    get attempts() {
      return attempts;
    },
    nextMessage: (conversationId, waitOptions) => mailbox(conversationId).next(waitOptions),
    failNext: (count, status = 500) => {
      failures = { remaining: count, status };
    },
    close: () => server.close(),
  };
}

/** The previous release's `X-Signature-256`: `sha256=<hex of HMAC-SHA256(body)>`, no timestamp. */
export function signBody(rawBody: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/** `X-Signature-Timestamp` and `X-Signature-256` over `"<timestamp>.<body>"`, as the contract signs calls. */
export function signedHeaders(rawBody: string, secret: string, now = Date.now()): Record<string, string> {
  const timestamp = String(Math.floor(now / 1000));
  return { 'x-signature-timestamp': timestamp, 'x-signature-256': signBody(`${timestamp}.${rawBody}`, secret) };
}

/** Why our server's outbound call does not verify, as a platform would check it; undefined when it does. */
function signatureProblem(rawBody: string, header: string | undefined, timestamp: string, secret: string) {
  const given = header?.match(/^sha256=([0-9a-f]{64})$/)?.[1];
  if (!given) return 'missing signature';
  if (!/^\d+$/.test(timestamp)) return 'missing timestamp';
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return 'stale timestamp';
  const expected = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest();
  return timingSafeEqual(expected, Buffer.from(given, 'hex')) ? undefined : 'wrong signature';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export interface PlatformResponse {
  status: number;
  /** Parsed JSON, else the text. */
  body: unknown;
}

export interface PlatformClient {
  /** `POST /api/events/conversation-closed`, signed. */
  sendConversationClosed(event: ConversationClosedEvent): Promise<PlatformResponse>;
  /** `POST /api/messages/inbound`, signed: the contact's reply. */
  sendReply(message: InboundMessage): Promise<PlatformResponse>;
  /**
   * Any call, with the body sent byte for byte and signed with a timestamp; `signature`
   * replaces both headers by this one `X-Signature-256` (`null` sends none), for tests of
   * refused calls and of the previous release's body-only scheme.
   */
  send(path: string, rawBody: string, options?: { signature?: string | null }): Promise<PlatformResponse>;
}

/** The platform's side of the integration: calls our server at `baseUrl` as a chat platform would. */
export function platformClient(options: { baseUrl: string; webhookSecret: string }): PlatformClient {
  const send: PlatformClient['send'] = async (path, rawBody, sendOptions = {}) => {
    const { signature } = sendOptions;
    const signing =
      signature === undefined
        ? signedHeaders(rawBody, options.webhookSecret)
        : signature === null
          ? {}
          : { 'x-signature-256': signature };
    const response = await fetch(`${options.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signing },
      body: rawBody,
    });
    const text = await response.text();
    return { status: response.status, body: parseJson(text) ?? text };
  };
  return {
    sendConversationClosed: (event) => send('/api/events/conversation-closed', JSON.stringify(event)),
    sendReply: (message) => send('/api/messages/inbound', JSON.stringify(message)),
    send,
  };
}

/** A conversation-closed event with fresh ids; `overrides` replace whole top-level parts. */
export function closedEvent(overrides: Partial<ConversationClosedEvent> = {}): ConversationClosedEvent {
  const suffix = randomUUID().slice(0, 8);
  return {
    eventId: `evt-${suffix}`,
    conversation: { id: `conv-${suffix}`, channel: 'whatsapp', closedBy: 'agent' },
    contact: { id: `contact-${suffix}`, name: 'Ada Lovelace', phone: '+15550100' },
    assignee: { id: 'agent-1', name: 'Grace Hopper' },
    ...overrides,
  };
}
