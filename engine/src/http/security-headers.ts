import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * One strict policy for every response (editor, `/docs`, API answers, errors): the editor and
 * Swagger UI load only their own files, run no inline script and cannot be framed, so injected
 * markup cannot run and the pages cannot be click-jacked.
 */
const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  // The editor's favicon and Swagger UI's logo and form icons are data: SVGs; an image cannot run script.
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/**
 * Registers the security headers; call it before anything that may answer early (e.g. the API-key
 * check) because the headers are set as the request arrives.
 */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(fastifyHelmet, {
    // Helmet's default policy adds `upgrade-insecure-requests`, which breaks the editor when it is
    // served over plain HTTP on anything but localhost; ours is spelled out in full instead.
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    // Old browsers ignore `frame-ancestors`.
    xFrameOptions: { action: 'deny' },
    // Nothing here reads Referer and the editor links only to itself; its URLs name workflows and
    // runs, and its host is often internal, so nothing is worth sending elsewhere.
    referrerPolicy: { policy: 'no-referrer' },
    // This server speaks plain HTTP; HSTS binds the whole host (and its subdomains) to HTTPS for a
    // year, which is for whoever terminates TLS in front of it to decide.
    strictTransportSecurity: false,
  });
}

/**
 * For Swagger UI only, which injects `<style>` elements as it renders: its pages may apply inline
 * styles (they can restyle the page, not run script); the editor needs none.
 */
export function allowInlineStyles(policy: string): string {
  return `${policy};style-src 'self' 'unsafe-inline'`;
}
