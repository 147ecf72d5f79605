import { request } from 'undici';
import { forbiddenAddressIn, outboundDispatcher } from '../net/index.ts';
import { ConnectionNotFoundError } from '../sdk/errors.ts';
import type { Connection } from '../sdk/runner.ts';
import { signatureHeaders } from '../signing/webhook-signature.ts';
import type { AlertDestination } from '../workflow/failure-alerts.ts';
import { type AlertFacts, alertPayload, slackText } from './failure-alert-message.ts';

const SEND_TIMEOUT_MS = 10_000;

/** A destination that did not take the alert, in words that name no secret. */
export class AlertDeliveryError extends Error {
  override readonly name = 'AlertDeliveryError';
}

export interface AlertDeliveryDeps {
  /** Secret connections, decrypted (the Slack URL, the webhook's signing secret). */
  resolveConnection(id: string): Promise<Connection>;
  allowPrivateNetwork: boolean;
}

/**
 * Posts one alert to one destination through the guarded dispatcher, with a timeout: Slack gets
 * `{ text }` at the URL its secret holds, a generic webhook the JSON payload signed with its
 * secret like the channel webhook (`X-Signature-256`). Throws `AlertDeliveryError` otherwise.
 */
export class AlertDelivery {
  constructor(private readonly deps: AlertDeliveryDeps) {}

  async deliver(destination: AlertDestination, facts: AlertFacts): Promise<void> {
    if (destination.kind === 'slack') {
      const { value: url, name } = await this.secret(destination.urlSecretId);
      if (!URL.canParse(url) || !/^https?:/i.test(url)) {
        throw new AlertDeliveryError(`Secret "${name}" does not hold an http(s) webhook URL.`);
      }
      // The URL is the credential: an error names the secret, never the URL.
      await this.post(url, JSON.stringify({ text: slackText(facts) }), {}, `Slack webhook (secret "${name}")`);
      return;
    }
    const { value: secret } = await this.secret(destination.secretId);
    const body = JSON.stringify(alertPayload(facts));
    const headers = {
      ...signatureHeaders(body, secret),
      // The same alert sent again (a retry) carries the same key: the receiver can drop it.
      'idempotency-key': `alert:${facts.workflow.id}:${facts.latest.at}`,
    };
    await this.post(destination.url, body, headers, `webhook ${destination.url}`);
  }

  /** The destination in words, its secret by name: `Slack webhook (secret "Ops channel")`, `webhook https://…`. */
  async describe(destination: AlertDestination): Promise<string> {
    if (destination.kind === 'webhook') return `webhook ${destination.url}`;
    const connection = await this.deps.resolveConnection(destination.urlSecretId).catch(() => null);
    return `Slack webhook (secret "${connection?.name ?? destination.urlSecretId}")`;
  }

  private async secret(id: string): Promise<{ value: string; name: string }> {
    const connection = await this.deps.resolveConnection(id).catch((error: unknown) => {
      if (error instanceof ConnectionNotFoundError) return null;
      throw error;
    });
    if (connection?.type !== 'secret') {
      throw new AlertDeliveryError(`There is no secret connection "${id}" for the alert: add it, or change the alert.`);
    }
    return { value: connection.value, name: connection.name };
  }

  private async post(url: string, body: string, headers: Record<string, string>, what: string): Promise<void> {
    let status: number;
    try {
      const response = await request(url, {
        method: 'POST',
        dispatcher: outboundDispatcher(this.deps.allowPrivateNetwork),
        headers: { 'content-type': 'application/json', ...headers },
        body,
        headersTimeout: SEND_TIMEOUT_MS,
        bodyTimeout: SEND_TIMEOUT_MS,
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      });
      status = response.statusCode;
      await response.body.dump();
    } catch (error) {
      const refusal = forbiddenAddressIn(error);
      const reason = (refusal ?? (error instanceof Error ? error : null))?.message.replaceAll(url, '[url]');
      throw new AlertDeliveryError(`The ${what} could not be reached (${reason ?? 'unknown error'}).`);
    }
    if (status < 200 || status >= 300) throw new AlertDeliveryError(`The ${what} answered HTTP ${status}.`);
  }
}
