/** How a route authenticates its caller. Every `/api` route uses the API key unless it says otherwise. */
export type RouteAuth = 'apiKey' | 'signature';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `signature`: a platform webhook, HMAC-signed instead of carrying the API key. */
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    /** Set once the platform signature was checked against the raw body. */
    signatureVerified?: boolean;
  }
}

/** Route `config` of a platform webhook. */
export const signedWebhook = { auth: 'signature' } as const;

/** OpenAPI `security` of the two kinds of `/api` routes. */
export const bearerSecurity = [{ bearer: [] }];
export const signatureSecurity = [{ signature: [] }];
