import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ApiClient } from './api-client.ts';
import { now, type RunTracker } from './tracker.ts';

/**
 * The chat platform and the CRM as the bench needs them: answering from memory at once, over
 * keep-alive HTTP on 127.0.0.1, attributing every call to the measurement's `RunTracker`.
 */
export interface StandIns {
  /** CHANNEL_WEBHOOK_URL. */
  webhookUrl: string;
  /** Where the workflow's HTTP step POSTs. */
  crmUrl: string;
  /**
   * Routes what arrives to `tracker`; with `replies`, each question is answered at once with
   * the signed reply "4" through that client, else questions stay unanswered.
   */
  use(tracker: RunTracker | null, replies: ApiClient | null): void;
  close(): Promise<void>;
}

/** `question()` is the text the chat stand-in answers (known once the workflow is loaded). */
export async function startStandIns(options: { webhookSecret: string; question: () => string }): Promise<StandIns> {
  let tracker: RunTracker | null = null;
  let replies: ApiClient | null = null;

  const chat = await listen((body, headers) => {
    if (!tracker) return 200;
    const signature = headers['x-signature-256'];
    const timestamp = headers['x-signature-timestamp'];
    const message = parseMessage(body);
    const signed = typeof timestamp === 'string' ? `${timestamp}.${body}` : undefined;
    if (
      typeof signature !== 'string' ||
      !signed ||
      !validSignature(signed, signature, options.webhookSecret) ||
      !message
    ) {
      tracker.rejected();
      return 401;
    }
    if (message.text !== options.question()) return 200;
    const run = tracker.question(message.conversationId);
    if (run && replies) {
      const client = replies;
      const current = tracker;
      run.replySentAt = now();
      const reply = {
        eventId: `reply-${run.eventId}`,
        conversationId: run.conversationId,
        contactId: run.contactId,
        text: '4',
      };
      client.signed('/api/messages/inbound', reply).then(
        (response) => {
          run.replyAcceptedAt = now();
          const runId = field(response.body, 'runId');
          if (response.status !== 202) current.fail(run, `reply answered HTTP ${response.status}`);
          else if (typeof runId !== 'string') current.fail(run, 'reply was not routed to a run (runId null)');
        },
        (error: unknown) => current.fail(run, `reply failed: ${String(error)}`),
      );
    }
    return 200;
  });

  const crm = await listen((body, headers) => {
    const conversationId = field(safeJson(body), 'conversationId');
    const key = headers['idempotency-key'];
    if (tracker && typeof conversationId === 'string')
      tracker.crmPost(conversationId, typeof key === 'string' ? key : '');
    return 201;
  });

  return {
    webhookUrl: `${chat.url}/webhook`,
    crmUrl: `${crm.url}/api/csat`,
    use: (nextTracker, nextReplies) => {
      tracker = nextTracker;
      replies = nextReplies;
    },
    close: async () => {
      await Promise.all([chat.close(), crm.close()]);
    },
  };
}

interface Listening {
  url: string;
  close(): Promise<void>;
}

/** A keep-alive HTTP server on 127.0.0.1 answering each request with `handle`'s status and `{}`. */
async function listen(handle: (body: string, headers: IncomingMessage['headers']) => number): Promise<Listening> {
  const server: Server = createServer({ keepAliveTimeout: 60_000 }, (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const status = handle(Buffer.concat(chunks).toString('utf8'), req.headers);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': '2' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('A stand-in did not get a TCP port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `header` signs `signed` ("<timestamp>.<body>"); the bench trusts the clock it shares with the server. */
function validSignature(signed: string, header: string, secret: string): boolean {
  const given = /^sha256=([0-9a-f]{64})$/.exec(header)?.[1];
  if (!given) return false;
  return timingSafeEqual(createHmac('sha256', secret).update(signed).digest(), Buffer.from(given, 'hex'));
}

function parseMessage(body: string): { conversationId: string; text: string } | undefined {
  const message = safeJson(body);
  const conversationId = field(message, 'conversationId');
  const text = field(message, 'text');
  return typeof conversationId === 'string' && typeof text === 'string' ? { conversationId, text } : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && name in value ? Reflect.get(value, name) : undefined;
}
