import { createHmac } from 'node:crypto';
import { Pool } from 'undici';

export interface ApiResponse {
  status: number;
  body: unknown;
}

/**
 * Calls the product's HTTP API over a pool of keep-alive connections: the platform's signed
 * webhooks (`X-Signature-256`) and the operator's calls (API key).
 */
export class ApiClient {
  private readonly pool: Pool;

  constructor(
    readonly baseUrl: string,
    private readonly secrets: { apiKey: string; webhookSecret: string },
    connections = 64,
  ) {
    this.pool = new Pool(baseUrl, { connections, keepAliveTimeout: 30_000, pipelining: 1 });
  }

  /** A platform webhook, signed with the shared secret. */
  signed(path: string, payload: unknown): Promise<ApiResponse> {
    const body = JSON.stringify(payload);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = `sha256=${createHmac('sha256', this.secrets.webhookSecret).update(`${timestamp}.${body}`).digest('hex')}`;
    return this.send('POST', path, body, {
      'content-type': 'application/json',
      'x-signature-timestamp': timestamp,
      'x-signature-256': signature,
    });
  }

  /** An operator call with the API key. */
  operator(method: 'GET' | 'POST' | 'PUT', path: string, payload?: unknown): Promise<ApiResponse> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.secrets.apiKey}` };
    if (payload !== undefined) headers['content-type'] = 'application/json';
    return this.send(method, path, payload === undefined ? undefined : JSON.stringify(payload), headers);
  }

  private async send(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body: string | undefined,
    headers: Record<string, string>,
  ): Promise<ApiResponse> {
    const response = await this.pool.request({ origin: this.baseUrl, method, path, headers, body });
    const text = await response.body.text();
    return { status: response.statusCode, body: parseJson(text) ?? text };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
