import { startLocalServer } from '../support/http-server.ts';
import { Mailbox } from '../support/mailbox.ts';

/**
 * Stands in for a CRM (or a team webhook) over real HTTP on 127.0.0.1: takes JSON POSTs on any
 * path, records each with its headers (`idempotency-key` included), and can fail on demand.
 */

export interface CrmRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  idempotencyKey: string | undefined;
  rawBody: string;
  /** Parsed JSON body, or undefined when it was not JSON. */
  body: unknown;
}

export interface CrmStandIn {
  /** Base URL, e.g. `http://127.0.0.1:41234`; POST to `${url}/api/csat`. */
  url: string;
  /** Requests answered 2xx, in arrival order. */
  readonly received: readonly CrmRequest[];
  /** Every request, including the ones answered with a failure. */
  readonly attempts: readonly CrmRequest[];
  /** The oldest accepted request not yet taken, or the next to arrive. */
  nextRequest(options?: { timeoutMs?: number }): Promise<CrmRequest>;
  /**
   * Answer the next `count` requests with `status` (500, 429…); a 429 carries
   * `Retry-After: retryAfterSeconds` (default 0).
   */
  failNext(count: number, status?: number, options?: { retryAfterSeconds?: number }): void;
  /**
   * Keeps the next requests waiting for their answer until `release()`, as a slow CRM would:
   * `arrived` resolves with the first one held, so a test can act while a step is in flight.
   */
  hold(): { arrived: Promise<CrmRequest>; release(): void };
  close(): Promise<void>;
}

export async function startCrm(options: { responseBody?: unknown } = {}): Promise<CrmStandIn> {
  const received: CrmRequest[] = [];
  const attempts: CrmRequest[] = [];
  const accepted = new Mailbox<CrmRequest>('CRM request');
  let failures = { remaining: 0, status: 500, retryAfterSeconds: 0 };
  let held: { gate: Promise<void>; onArrival: (request: CrmRequest) => void } | undefined;

  const server = await startLocalServer(async ({ method, url, headers, rawBody }) => {
    const idempotencyKey = headers['idempotency-key'];
    const request: CrmRequest = {
      method,
      path: url,
      headers,
      idempotencyKey: typeof idempotencyKey === 'string' ? idempotencyKey : undefined,
      rawBody,
      body: parseJson(rawBody),
    };
    attempts.push(request);
    if (held) {
      held.onArrival(request);
      await held.gate;
    }
    if (failures.remaining > 0) {
      failures = { ...failures, remaining: failures.remaining - 1 };
      return {
        status: failures.status,
        body: { error: failures.status === 429 ? 'rate limited' : 'internal error' },
        headers: failures.status === 429 ? { 'retry-after': String(failures.retryAfterSeconds) } : {},
      };
    }
    received.push(request);
    accepted.put(request);
    return { status: 201, body: options.responseBody ?? { id: `crm-${received.length}`, ok: true } };
  });

  return {
    url: server.url,
    received,
    attempts,
    nextRequest: (waitOptions) => accepted.next(waitOptions),
    failNext: (count, status = 500, failOptions = {}) => {
      failures = { remaining: count, status, retryAfterSeconds: failOptions.retryAfterSeconds ?? 0 };
    },
    hold: () => {
      let release = () => {};
      let onArrival: (request: CrmRequest) => void = () => {};
      const gate = new Promise<void>((resolve) => {
        release = () => {
          held = undefined;
          resolve();
        };
      });
      const arrived = new Promise<CrmRequest>((resolve) => {
        onArrival = resolve;
      });
      held = { gate, onArrival };
      return { arrived, release };
    },
    close: () => server.close(),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
