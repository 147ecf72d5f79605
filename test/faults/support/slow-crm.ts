import { createServer } from 'node:http';

/**
 * A CRM that takes `delayMs` to answer each POST, over real HTTP on 127.0.0.1, so steps are
 * caught mid-request. It knows which requests are still open and whether each answer reached
 * the caller (`finish`) or the caller hung up first (`aborted`).
 */
export interface SlowCrmRequest {
  conversationId: string;
  idempotencyKey: string | undefined;
  state: 'open' | 'answered' | 'aborted';
}

export interface SlowCrm {
  url: string;
  readonly requests: readonly SlowCrmRequest[];
  open(): SlowCrmRequest[];
  close(): Promise<void>;
}

export async function startSlowCrm(options: { delayMs: number }): Promise<SlowCrm> {
  const requests: SlowCrmRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = parseJson(Buffer.concat(chunks).toString('utf8'));
      const key = req.headers['idempotency-key'];
      const request: SlowCrmRequest = {
        conversationId:
          typeof body === 'object' && body !== null && 'conversationId' in body ? String(body.conversationId) : '?',
        idempotencyKey: typeof key === 'string' ? key : undefined,
        state: 'open',
      };
      requests.push(request);
      res.on('finish', () => {
        request.state = 'answered';
      });
      res.on('close', () => {
        if (request.state === 'open') request.state = 'aborted';
      });
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true }));
      }, options.delayMs);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the slow CRM listens on no TCP port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    open: () => requests.filter((request) => request.state === 'open'),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
