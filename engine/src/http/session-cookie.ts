import type { FastifyReply, FastifyRequest } from 'fastify';

/** The cookie a signed-in browser sends: 32 random bytes, base64url; Redis knows only their hash. */
export const SESSION_COOKIE = 'cf_session';

/** The session id a request's `Cookie` header carries; undefined when none (or not shaped like one). */
export function sessionCookie(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    if (at < 0 || pair.slice(0, at).trim() !== SESSION_COOKIE) continue;
    const value = pair.slice(at + 1).trim();
    if (/^[A-Za-z0-9_-]{43}$/.test(value)) return value;
  }
  return undefined;
}

export interface CookieSettings {
  /** `PUBLIC_URL` starting with https: the browser reaches the server over https, through a proxy. */
  publicHttps: boolean;
  /** How long the browser keeps the cookie: the session's longest life (the server ends it sooner when idle). */
  maxAgeSeconds: number;
}

/**
 * Sets the session cookie: `HttpOnly` (no script reads it), `SameSite=Lax` (no cross-site
 * POST carries it), `Secure` when the request came over https or PUBLIC_URL is https.
 */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, id: string, settings: CookieSettings) {
  const secure = request.protocol === 'https' || settings.publicHttps;
  const attributes = [
    `${SESSION_COOKIE}=${id}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${settings.maxAgeSeconds}`,
  ];
  if (secure) attributes.push('Secure');
  reply.header('set-cookie', attributes.join('; ')).header('cache-control', 'no-store');
}

/** Tells the browser to drop the cookie. */
export function clearSessionCookie(reply: FastifyReply): void {
  reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
}
