import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far `X-Chatwoot-Timestamp` may be from our clock: Chatwoot's own advice, ~5 minutes. */
export const SIGNATURE_TOLERANCE_S = 300;

export interface SignedCall {
  headers: Readonly<Record<string, string | undefined>>;
  rawBody: Buffer;
  /** Epoch ms. */
  receivedAt: number;
}

/**
 * Why the call's `X-Chatwoot-Signature` does not prove it came from Chatwoot (≥ 4.11 signs
 * `sha256=<hex HMAC-SHA256(secret, "<X-Chatwoot-Timestamp>.<raw body>")>`), in words for the
 * operator; undefined when it does.
 */
export function signatureProblem(call: SignedCall, secret: string): string | undefined {
  const header = call.headers['x-chatwoot-signature'];
  if (header === undefined) return 'the call has no X-Chatwoot-Signature header';
  const given = /^sha256=([0-9a-f]{64})$/i.exec(header.trim())?.[1];
  if (!given) return 'X-Chatwoot-Signature is not of the form sha256=<64 hex digits>';
  const timestamp = call.headers['x-chatwoot-timestamp']?.trim();
  if (!timestamp || !/^\d+$/.test(timestamp)) return 'the call has no X-Chatwoot-Timestamp in unix seconds';
  const skew = Math.round(call.receivedAt / 1000 - Number(timestamp));
  if (skew > SIGNATURE_TOLERANCE_S)
    return `the signature timestamp is ${skew} s old (at most ${SIGNATURE_TOLERANCE_S})`;
  if (-skew > SIGNATURE_TOLERANCE_S) return `the signature timestamp is ${-skew} s in the future`;
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(call.rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(given, 'hex'))
    ? undefined
    : 'X-Chatwoot-Signature does not match the webhook secret (was the secret reset in Chatwoot?)';
}
