import { createHmac, timingSafeEqual } from 'node:crypto';

const SIGNATURE_FORMAT = /^sha256=([0-9a-f]{64})$/i;

/** `X-Signature-256` value of `body`: `sha256=<hex HMAC-SHA256(body, secret)>`. */
export function signBody(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Whether `header` is the signature of exactly these bytes; constant time over the digest. */
export function verifySignature(body: Buffer, header: string | undefined, secret: string): boolean {
  const given = header?.trim().match(SIGNATURE_FORMAT)?.[1];
  if (!given) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}
