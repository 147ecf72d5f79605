import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-signature-256';
export const TIMESTAMP_HEADER = 'x-signature-timestamp';

/**
 * How far a signed timestamp may be from our clock, either way. Bounds replays of a captured
 * call; both sides' clocks only need to agree to within it.
 */
export const SIGNATURE_WINDOW_S = 300;

const SIGNATURE_FORMAT = /^sha256=([0-9a-f]{64})$/i;
const TIMESTAMP_FORMAT = /^\d{1,12}$/;

/** The headers that sign `body` at `now`: `X-Signature-256` over `"<timestamp>.<body>"`. */
export function signatureHeaders(body: string | Buffer, secret: string, now = Date.now()): Record<string, string> {
  const timestamp = String(Math.floor(now / 1000));
  return { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: hmacHeader(signedBytes(body, timestamp), secret) };
}

export type SignatureCheck =
  | {
      ok: true;
      scheme: 'timestamped' | 'body-only';
      /** SHA-256 of the exact signed bytes: the same call replayed has the same digest. */
      digest: string;
    }
  | { ok: false; reason: string };

export interface SignatureHeaders {
  signature: string | undefined;
  timestamp: string | undefined;
}

/**
 * Checks a platform call. With `X-Signature-Timestamp` the signature covers
 * `"<timestamp>.<raw body>"` and the timestamp must be within the window; without it the
 * signature covers the body alone, unless `requireTimestamp`. Constant time over the digest.
 */
export function checkSignature(
  body: Buffer,
  headers: SignatureHeaders,
  secret: string,
  options: { requireTimestamp: boolean; now?: number },
): SignatureCheck {
  const given = headers.signature?.trim().match(SIGNATURE_FORMAT)?.[1];
  if (!given) {
    return {
      ok: false,
      reason: `Missing or malformed ${SIGNATURE_HEADER} header: send "sha256=" followed by the hex HMAC-SHA256 of "<${TIMESTAMP_HEADER}>.<raw body>", keyed with the webhook secret (WEBHOOK_SECRET).`,
    };
  }
  const timestamp = headers.timestamp?.trim();
  if (timestamp === undefined && options.requireTimestamp) {
    return {
      ok: false,
      reason: `Missing ${TIMESTAMP_HEADER} header: this server requires timestamped signatures (unix seconds, signed as "<timestamp>.<raw body>").`,
    };
  }
  if (timestamp !== undefined) {
    if (!TIMESTAMP_FORMAT.test(timestamp)) {
      return { ok: false, reason: `${TIMESTAMP_HEADER} must be the unix time in whole seconds.` };
    }
    const skew = Math.abs((options.now ?? Date.now()) / 1000 - Number(timestamp));
    if (skew > SIGNATURE_WINDOW_S) {
      return {
        ok: false,
        reason: `${TIMESTAMP_HEADER} is ${Math.round(skew)} s away from this server's clock; it must be within ${SIGNATURE_WINDOW_S} s. Sign each call when sending it, and check both clocks.`,
      };
    }
  }
  const signed = timestamp === undefined ? body : signedBytes(body, timestamp);
  const expected = createHmac('sha256', secret).update(signed).digest();
  if (!timingSafeEqual(expected, Buffer.from(given, 'hex'))) {
    return {
      ok: false,
      reason: `Wrong ${SIGNATURE_HEADER}: it must be the hex HMAC-SHA256 of ${timestamp === undefined ? 'the exact raw body bytes' : `"<${TIMESTAMP_HEADER}>.<raw body>"`}, keyed with the webhook secret (WEBHOOK_SECRET).`,
    };
  }
  return {
    ok: true,
    scheme: timestamp === undefined ? 'body-only' : 'timestamped',
    digest: createHash('sha256').update(signed).digest('hex'),
  };
}

function signedBytes(body: string | Buffer, timestamp: string): Buffer {
  return Buffer.concat([Buffer.from(`${timestamp}.`), Buffer.from(body)]);
}

function hmacHeader(bytes: Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(bytes).digest('hex')}`;
}
