import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * A plain HTTP server on one address (loopback, IPv6 loopback, or this machine's own interface
 * address) recording the path of every request it gets; `respond` may redirect.
 */
export interface RecordingServer {
  /** `http://<host>:<port>`, IPv6 hosts in brackets. */
  url: string;
  port: number;
  readonly paths: readonly string[];
  hits(path: string): number;
  close(): Promise<void>;
}

export async function startRecordingServer(
  host: string,
  respond: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"reached":true}');
  },
): Promise<RecordingServer> {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(req.url ?? '/');
    req.resume();
    respond(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`no TCP port on ${host}`);
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    port: address.port,
    paths,
    hits: (path) => paths.filter((seen) => seen === path).length,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
