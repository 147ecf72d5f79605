import { startLocalServer } from '../support/http-server.ts';

/**
 * Stands in for whatever receives failure alerts, over real HTTP on 127.0.0.1: a Slack incoming
 * webhook (`POST { text }`) or a generic webhook. Records every POST with its headers and body;
 * answers 200 `ok` as Slack does, or the status `failNext` asked for.
 */
export interface RecordedPost {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  body: unknown;
  status: number;
}

export interface WebhookRecorder {
  /** `http://127.0.0.1:<port>`; any path is accepted (Slack's look like `/services/T…/B…/…`). */
  url: string;
  readonly posts: readonly RecordedPost[];
  /** The next `times` posts answer `status` (e.g. 500) and are still recorded. */
  failNext(status: number, times: number): void;
  close(): Promise<void>;
}

export async function startWebhookRecorder(): Promise<WebhookRecorder> {
  const posts: RecordedPost[] = [];
  const failures: number[] = [];
  const server = await startLocalServer(({ method, url, headers, rawBody }) => {
    if (method !== 'POST') return { status: 405, body: 'method not allowed' };
    const status = failures.shift() ?? 200;
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      body = undefined;
    }
    posts.push({ path: url, headers, rawBody, body, status });
    return { status, body: status === 200 ? 'ok' : 'failed' };
  });
  return {
    url: server.url,
    posts,
    failNext(status, times) {
      for (let i = 0; i < times; i++) failures.push(status);
    },
    close: () => server.close(),
  };
}
