import type { Logger } from 'pino';
import { Agent, request } from 'undici';
import type { OutboundChannelMessage } from '../contract/events.ts';
import { StepError } from '../sdk/errors.ts';
import { signatureHeaders } from '../signing/webhook-signature.ts';

const SEND_TIMEOUT_MS = 10_000;

/**
 * POSTs outbound messages to the chat platform's webhook, signed like the platform's calls to
 * us, over one pooled connection agent. Any failure is a retryable step error: the step is
 * retried with backoff, carrying the same `Idempotency-Key`.
 */
export class ChannelWebhook {
  private readonly agent = new Agent({ connections: 32, keepAliveTimeout: 10_000 });
  private warnedUnset = false;

  constructor(
    private readonly url: string | undefined,
    private readonly secret: string,
    private readonly logger: Logger,
  ) {}

  /** False when no webhook is configured: the message then only goes to the run's transcript. */
  async post(message: OutboundChannelMessage, idempotencyKey: string, signal: AbortSignal): Promise<boolean> {
    if (!this.url) {
      if (!this.warnedUnset) {
        this.warnedUnset = true;
        this.logger.warn('CHANNEL_WEBHOOK_URL is not set: outbound messages are only recorded in run transcripts');
      }
      return false;
    }
    const body = JSON.stringify(message);
    let status: number;
    try {
      const response = await request(this.url, {
        method: 'POST',
        dispatcher: this.agent,
        headers: {
          'content-type': 'application/json',
          ...signatureHeaders(body, this.secret),
          'idempotency-key': idempotencyKey,
        },
        body,
        // undici's own timeouts: no timer signal and combined signal to allocate per message.
        headersTimeout: SEND_TIMEOUT_MS,
        bodyTimeout: SEND_TIMEOUT_MS,
        signal,
      });
      status = response.statusCode;
      await response.body.dump();
    } catch (error) {
      throw new StepError(
        `Could not deliver the message to the chat platform at CHANNEL_WEBHOOK_URL (${describe(error)}); it will be retried.`,
        { retryable: true, cause: error },
      );
    }
    if (status < 200 || status >= 300) {
      throw new StepError(
        `The chat platform's webhook (CHANNEL_WEBHOOK_URL) answered HTTP ${status}; the message will be retried.`,
        { retryable: true },
      );
    }
    return true;
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = 'code' in error && typeof error.code === 'string' ? `${error.code}: ` : '';
    return `${code}${error.message}`;
  }
  return String(error);
}
