import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  /** Path with query string. */
  url: string;
  headers: IncomingHttpHeaders;
  /** The exact bytes received, as text. */
  rawBody: string;
}

export interface Reply {
  status: number;
  body?: unknown;
  /** Undefined values are left out. */
  headers?: Record<string, string | undefined>;
}

export interface LocalServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 and an ephemeral port; `handle` sees each request with its whole body. */
export async function startLocalServer(
  handle: (request: ReceivedRequest) => Reply | Promise<Reply>,
): Promise<LocalServer> {
  const server = createServer((req, res) => {
    void respond(req, res, handle);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function respond(
  req: IncomingMessage,
  res: ServerResponse,
  handle: (request: ReceivedRequest) => Reply | Promise<Reply>,
): Promise<void> {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(Buffer.from(chunk));
    const reply = await handle({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      rawBody: Buffer.concat(chunks).toString('utf8'),
    });
    const body =
      reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    const headers = Object.entries(reply.headers ?? {}).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    );
    res.writeHead(reply.status, {
      ...(typeof reply.body === 'object' ? { 'content-type': 'application/json' } : {}),
      ...Object.fromEntries(headers),
    });
    res.end(body);
  } catch (error) {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(error instanceof Error ? error.message : String(error));
  }
}
