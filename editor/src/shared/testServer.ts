import { createServer, type IncomingMessage } from 'node:http';

/** Test-only: a real HTTP server standing in for the API, and the page pointed at it. */

export interface RecordedRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface Reply {
  status?: number;
  json?: unknown;
  text?: string;
  contentType?: string;
}

/** Handlers by `"METHOD /path"` (no query string). */
export type Routes = Record<string, (request: RecordedRequest) => Reply>;

export interface TestServer {
  requests: RecordedRequest[];
  close: () => Promise<void>;
}

/**
 * Listens on an ephemeral 127.0.0.1 port and moves the happy-dom page to it, so the
 * editor's relative API paths reach it same-origin. Unknown routes answer 404 like the API.
 */
export async function startTestServer(routes: Routes): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer(async (incoming, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(Buffer.from(chunk));
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
    const request: RecordedRequest = {
      method: incoming.method ?? 'GET',
      url,
      headers: incoming.headers,
      body: raw ? JSON.parse(raw) : undefined,
    };
    requests.push(request);
    const handler = routes[`${request.method} ${url.pathname}`];
    const reply: Reply = handler
      ? handler(request)
      : { status: 404, json: { code: 'NOT_FOUND', message: `No route ${request.method} ${url.pathname}` } };
    response.statusCode = reply.status ?? 200;
    if (reply.text !== undefined) {
      response.setHeader('content-type', reply.contentType ?? 'text/plain');
      response.end(reply.text);
    } else if (reply.json !== undefined) {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(reply.json));
    } else response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('test server has no port');
  pointPageAt(`http://127.0.0.1:${address.port}/`);
  return {
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function pointPageAt(url: string): void {
  const happyDOM: unknown = Reflect.get(window, 'happyDOM');
  const setURL = typeof happyDOM === 'object' && happyDOM !== null ? Reflect.get(happyDOM, 'setURL') : undefined;
  if (typeof setURL !== 'function') throw new Error('startTestServer needs the happy-dom environment');
  setURL.call(happyDOM, url);
}
