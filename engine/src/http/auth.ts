import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { bearerMatches } from './api-key.ts';
import { parseJsonBody } from './json-body.ts';
import './route-config.ts';
import { verifySignature } from './signature.ts';

export const SIGNATURE_HEADER = 'x-signature-256';

interface AuthOptions {
  apiKey: string;
  webhookSecret: string;
  bodyLimit: number;
}

/**
 * Authenticates `/api`: the API key is checked as soon as the request arrives, before any body
 * is read; a platform webhook's signature is checked over the raw body bytes before they are
 * parsed, so unsigned input is never parsed or validated.
 */
export function installAuth(app: FastifyInstance, options: AuthOptions): void {
  app.addHook('onRequest', async (request) => {
    if (!isApi(request) || isSignedRoute(request)) return;
    if (!bearerMatches(options.apiKey, request.headers.authorization)) {
      throw new AppError(
        'UNAUTHORIZED',
        'Missing or wrong API key: send Authorization: Bearer <key> (printed at start, or API_KEY)',
      );
    }
  });

  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: options.bodyLimit },
    async (request: FastifyRequest, raw: Buffer) => {
      if (isSignedRoute(request)) requireSignature(request, raw, options.webhookSecret);
      return parseJsonBody(raw);
    },
  );

  // A signed route called without a body never reached the parser above.
  app.addHook('preValidation', async (request) => {
    if (isSignedRoute(request) && !request.signatureVerified) {
      requireSignature(request, Buffer.alloc(0), options.webhookSecret);
    }
  });
}

function requireSignature(request: FastifyRequest, raw: Buffer, secret: string): void {
  const header = request.headers[SIGNATURE_HEADER];
  if (!verifySignature(raw, typeof header === 'string' ? header : undefined, secret)) {
    throw new AppError(
      'BAD_SIGNATURE',
      `Missing or wrong ${SIGNATURE_HEADER} header: send "sha256=" followed by the hex HMAC-SHA256 of the exact raw body bytes, keyed with the webhook secret (WEBHOOK_SECRET).`,
    );
  }
  request.signatureVerified = true;
}

function isApi(request: FastifyRequest): boolean {
  const path = request.url.split('?', 1)[0];
  return path === '/api' || path?.startsWith('/api/') === true;
}
const isSignedRoute = (request: FastifyRequest) => request.routeOptions.config.auth === 'signature';
