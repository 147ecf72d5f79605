import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';

/**
 * Refuses requests whose `Host` is not one of `allowedHosts` (names without port). A web page
 * on another site can make a browser send requests to a server on this machine under a DNS
 * name it controls that resolves to 127.0.0.1 (DNS rebinding); such requests carry that name.
 */
export function installHostCheck(app: FastifyInstance, allowedHosts: readonly string[]): void {
  const allowed = new Set(allowedHosts.map((host) => host.toLowerCase()));
  app.addHook('onRequest', async (request) => {
    const host = hostName(request.headers.host);
    if (host !== undefined && allowed.has(host)) return;
    throw new AppError('HOST_NOT_ALLOWED', { host: host ?? '', allowed: [...allowed] });
  });
}

/** `Host` without its port, lower-cased; IPv6 literals keep their brackets. */
export function hostName(header: string | undefined): string | undefined {
  const match = header?.trim().match(/^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::\d{1,5})?$/i);
  return match?.[1]?.toLowerCase();
}
