import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Against cross-site request forgery on calls a browser authenticates by its cookie alone:
 * a state-changing call must come from a page of this server, as its `Origin` (else `Referer`)
 * says: the same host as the request's `Host`, or `PUBLIC_URL`'s origin. SameSite=Lax already
 * keeps the cookie off cross-site POSTs; this also covers sibling subdomains and old browsers.
 * Bearer calls carry no ambient credential and are not checked.
 */
export function requireSameOrigin(request: FastifyRequest, publicUrl: string | undefined): void {
  if (SAFE_METHODS.has(request.method)) return;
  const origin = headerOrigin(request);
  if (origin === undefined) {
    throw new AppError(
      'FORBIDDEN',
      'A signed-in browser call that changes something must say where it comes from (Origin or Referer header); this one said nothing, so it is refused. Scripts should use an API key instead.',
    );
  }
  if (isOwnOrigin(origin, request.headers.host, publicUrl)) return;
  throw new AppError(
    'FORBIDDEN',
    `This call came from a page of ${origin.slice(0, 100)}, not of this server, and was refused (cross-site request). Open the editor at its own address${publicUrl ? ` (${publicUrl})` : ''}.`,
  );
}

/** Whether a request claims to come from another site: for public routes that set a session (signing in across sites is refused too). */
export function crossSite(request: FastifyRequest, publicUrl: string | undefined): boolean {
  const origin = headerOrigin(request);
  return origin !== undefined && !isOwnOrigin(origin, request.headers.host, publicUrl);
}

function headerOrigin(request: FastifyRequest): string | undefined {
  const { origin, referer } = request.headers;
  if (typeof origin === 'string' && origin !== '') return origin;
  if (typeof referer === 'string' && referer !== '') return originOf(referer) ?? referer;
  return undefined;
}

function isOwnOrigin(origin: string, host: string | undefined, publicUrl: string | undefined): boolean {
  const parsed = originOf(origin);
  if (parsed === undefined) return false;
  if (publicUrl !== undefined && parsed === originOf(publicUrl)) return true;
  if (host === undefined) return false;
  const own = new URL(parsed);
  // Read with the origin's scheme, so a default port written out (`:80`, `:443`) compares equal.
  return own.host === hostOf(own.protocol, host);
}

function hostOf(protocol: string, host: string): string | undefined {
  try {
    return new URL(`${protocol}//${host}`).host;
  } catch {
    return undefined;
  }
}

function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}
