import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookRecorder, type WebhookRecorder } from '../../../test/stand-ins/webhook-recorder.ts';
import { AlertPayload } from '../contract/alerts.ts';
import { ConnectionNotFoundError } from '../sdk/errors.ts';
import type { Connection } from '../sdk/runner.ts';
import { checkSignature } from '../signing/webhook-signature.ts';
import { AlertDelivery } from './failure-alert-delivery.ts';
import { sendTestAlert } from './failure-alert-test.ts';

let hooks: WebhookRecorder;
let delivery: AlertDelivery;
const workflow = { id: 'csat', name: 'CSAT survey' };

beforeAll(async () => {
  hooks = await startWebhookRecorder();
  const secrets: Record<string, Connection> = {
    slack: { id: 'slack', type: 'secret', name: 'Ops channel', value: `${hooks.url}/services/T/B/x` },
    signing: { id: 'signing', type: 'secret', name: 'Signing', value: 'signing-secret-123' },
  };
  delivery = new AlertDelivery({
    resolveConnection: async (id) => {
      const secret = secrets[id];
      if (!secret) throw new ConnectionNotFoundError(id);
      return secret;
    },
    allowPrivateNetwork: true,
  });
});
afterAll(() => hooks.close());

describe('a test alert', () => {
  it('reaches each destination and says what each answered, naming secrets by name', async () => {
    hooks.failNext(200, 1);
    hooks.failNext(503, 1);
    const result = await sendTestAlert(
      delivery,
      workflow,
      {
        destinations: [
          { kind: 'slack', urlSecretId: 'slack' },
          { kind: 'webhook', url: `${hooks.url}/alerts`, secretId: 'signing' },
          { kind: 'slack', urlSecretId: 'gone' },
        ],
        quietMinutes: 15,
      },
      'https://flows.example.com',
    );
    expect(result.results).toEqual([
      { destination: 'Slack webhook (secret "Ops channel")', ok: true, detail: 'took the test alert' },
      { destination: `webhook ${hooks.url}/alerts`, ok: false, detail: expect.stringContaining('answered HTTP 503') },
      {
        destination: 'Slack webhook (secret "gone")',
        ok: false,
        detail: expect.stringContaining('no secret connection "gone"'),
      },
    ]);
    const [slack, webhook] = hooks.posts.slice(-2);
    if (!slack || !webhook) throw new Error('the test alerts did not arrive');
    expect((slack.body as { text: string }).text).toBe(
      'Test alert for workflow "CSAT survey": failure alerts reach this destination. A failed step will be named here with the reason and a link to its run.\nRuns: https://flows.example.com/#/workflows/csat/runs',
    );
    expect(AlertPayload.parse(webhook.body).event).toBe('workflow.failures.test');
    const signed = checkSignature(
      Buffer.from(webhook.rawBody),
      {
        signature: String(webhook?.headers['x-signature-256']),
        timestamp: String(webhook?.headers['x-signature-timestamp']),
      },
      'signing-secret-123',
      { requireTimestamp: true },
    );
    expect(signed.ok).toBe(true);
  });
});
