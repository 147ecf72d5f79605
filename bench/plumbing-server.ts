import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Pool } from 'undici';

/**
 * The HTTP plumbing alone: a process answering the same contract as the product (signed
 * conversation-closed events and replies in, signed question, CRM POST and thank-you out)
 * from memory, with no queue and no Redis. What the machine allows at best for the HTTP
 * around a run, measured in the same bench as the engine. Configured by the bench via env.
 */
const port = Number(required('PORT'));
const secret = required('WEBHOOK_SECRET');
const channelUrl = new URL(required('CHANNEL_WEBHOOK_URL'));
const crmUrl = new URL(required('CRM_URL'));
const question = required('QUESTION');

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (the bench sets it)`);
  return value;
}

interface Waiting {
  runId: string;
  contactId: string;
  contactName: string;
}

const waiting = new Map<string, Waiting>();
const channel = new Pool(channelUrl.origin, { connections: 32, keepAliveTimeout: 10_000 });
const crm = new Pool(crmUrl.origin, { connections: 64, keepAliveTimeout: 10_000 });

/** The contract's signing: HMAC over "<timestamp>.<body>", as the engine does it. */
const hmac = (signed: string) => createHmac('sha256', secret).update(signed).digest();
function signatureHeaders(body: string): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return {
    'x-signature-timestamp': timestamp,
    'x-signature-256': `sha256=${hmac(`${timestamp}.${body}`).toString('hex')}`,
  };
}

async function post(pool: Pool, url: URL, payload: unknown, headers: Record<string, string>): Promise<void> {
  const body = JSON.stringify(payload);
  const response = await pool.request({
    method: 'POST',
    path: url.pathname,
    headers: { 'content-type': 'application/json', ...signatureHeaders(body), ...headers },
    body,
  });
  await response.body.dump();
}

function text(value: unknown, name: string): string | undefined {
  if (typeof value !== 'object' || value === null || !(name in value)) return undefined;
  const field: unknown = Reflect.get(value, name);
  return typeof field === 'string' ? field : undefined;
}

function object(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && name in value ? Reflect.get(value, name) : undefined;
}

function handle(
  path: string | undefined,
  body: unknown,
): { status: number; reply: unknown; after?: () => Promise<void> } {
  if (path === '/api/events/conversation-closed') {
    const conversationId = text(object(body, 'conversation'), 'id');
    const contact = object(body, 'contact');
    const contactId = text(contact, 'id');
    if (!conversationId || !contactId)
      return { status: 400, reply: { error: 'conversation.id and contact.id are required' } };
    const run = { runId: randomUUID(), contactId, contactName: text(contact, 'name') ?? '' };
    waiting.set(conversationId, run);
    const message = {
      runId: run.runId,
      conversationId,
      contactId,
      text: question,
      quickReplies: ['1', '2', '3', '4', '5'],
    };
    return { status: 202, reply: { runs: [run.runId] }, after: () => post(channel, channelUrl, message, {}) };
  }
  if (path === '/api/messages/inbound') {
    const conversationId = text(body, 'conversationId');
    const run = conversationId === undefined ? undefined : waiting.get(conversationId);
    if (!conversationId || !run) return { status: 202, reply: { runId: null } };
    waiting.delete(conversationId);
    const rating = Number(text(body, 'text'));
    const record = { conversationId, contactId: run.contactId, contactName: run.contactName, rating };
    return {
      status: 202,
      reply: { runId: run.runId },
      after: async () => {
        await post(crm, crmUrl, record, { 'idempotency-key': `${run.runId}:crm:1` });
        const thanks = {
          runId: run.runId,
          conversationId,
          contactId: run.contactId,
          text: 'Thank you for your feedback!',
        };
        await post(channel, channelUrl, thanks, {});
      },
    };
  }
  return { status: 404, reply: { error: 'not found' } };
}

function respond(req: IncomingMessage, res: ServerResponse, raw: string): void {
  const signature = req.headers['x-signature-256'];
  const timestamp = req.headers['x-signature-timestamp'];
  const given = typeof signature === 'string' ? /^sha256=([0-9a-f]{64})$/.exec(signature)?.[1] : undefined;
  const expected = hmac(`${typeof timestamp === 'string' ? timestamp : ''}.${raw}`);
  if (!given || !timingSafeEqual(expected, Buffer.from(given, 'hex'))) {
    res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid signature"}');
    return;
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid JSON"}');
    return;
  }
  const { status, reply, after } = handle(req.url, body);
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
  after?.().catch((error: unknown) => process.stderr.write(`plumbing: ${String(error)}\n`));
}

const server = createServer({ keepAliveTimeout: 72_000 }, (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => respond(req, res, Buffer.concat(chunks).toString('utf8')));
});
server.listen(port, '127.0.0.1', () => process.stdout.write('plumbing server ready\n'));
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
