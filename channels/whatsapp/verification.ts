import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { ChannelAuthError, type InboundCall, type InboundResult } from '@convoflow/engine';

const SIGNATURE_FORMAT = /^sha256=([0-9a-f]{64})$/i;

/**
 * Meta's subscription handshake: `hub.mode=subscribe` with the verify token the operator typed
 * into Meta is answered with `hub.challenge`, as it is.
 */
export function answerHandshake(call: InboundCall, verifyToken: string): InboundResult {
  if (call.query['hub.mode'] !== 'subscribe') {
    throw new ChannelAuthError(403, 'Not a webhook subscription: Meta sends hub.mode=subscribe');
  }
  if (!sameText(call.query['hub.verify_token'] ?? '', verifyToken)) {
    throw new ChannelAuthError(
      403,
      'The verify token does not match the connection’s: paste the same one in Meta → WhatsApp → Configuration → Webhook',
    );
  }
  return { kind: 'answer', status: 200, body: call.query['hub.challenge'] ?? '', contentType: 'text/plain' };
}

/** `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, the exact bytes received)>`. */
export function checkSignature(call: InboundCall, appSecret: string): void {
  const header = call.headers['x-hub-signature-256']?.trim();
  if (!header) {
    throw new ChannelAuthError(401, 'Missing X-Hub-Signature-256: Meta signs every webhook it sends');
  }
  const given = header.match(SIGNATURE_FORMAT)?.[1];
  const expected = createHmac('sha256', appSecret).update(call.rawBody).digest();
  if (!given || !timingSafeEqual(expected, Buffer.from(given, 'hex'))) {
    throw new ChannelAuthError(
      401,
      'Wrong X-Hub-Signature-256: check that the connection’s app secret is the Meta app’s (App settings → Basic)',
    );
  }
}

/** Compared as digests: constant time, and the length of neither leaks. */
function sameText(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
