import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { SIGNATURE_HEADER, SIGNATURE_WINDOW_S, TIMESTAMP_HEADER } from '../signing/webhook-signature.ts';
import { registerPublic } from './public-scope.ts';
import { allowInlineStyles } from './security-headers.ts';

/** OpenAPI from the routes' zod schemas: JSON at `/docs/json`, Swagger UI at `/docs`. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Convoflow API',
        description:
          'Workflows for customer conversations. Operator and agent calls carry an API key, whose role (owner, editor, viewer, agent) must be one the operation lets through: each says which (`x-required-role` and a "Role:" line). The chat platform signs its webhooks.',
        version: '1',
      },
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description:
              "`Authorization: Bearer <key>`: the install's key (printed at start, or API_KEY; an owner) or a named key an owner made (`cfk_…`, with its own role).",
          },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'cf_session',
            description:
              "A person signed in with e-mail and password (`POST /api/session`), with their role. Calls that change something must come from the server's own pages (`Origin` or `Referer`), else 403.",
          },
          signature: {
            type: 'apiKey',
            in: 'header',
            name: SIGNATURE_HEADER,
            description:
              '`sha256=<hex HMAC-SHA256 of "<X-Signature-Timestamp>.<raw request body>", keyed with WEBHOOK_SECRET>`. Sign the exact bytes you send. Without the timestamp header the HMAC covers the raw body alone (accepted for one release).',
          },
          signatureTimestamp: {
            type: 'apiKey',
            in: 'header',
            name: TIMESTAMP_HEADER,
            description: `Unix time in seconds when the call was signed; refused when more than ${SIGNATURE_WINDOW_S} s from the server's clock.`,
          },
          metricsToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'METRICS_TOKEN, for Prometheus: reads /metrics and nothing else.',
          },
          channelSignature: {
            type: 'apiKey',
            in: 'header',
            name: 'X-Chatwoot-Signature',
            description:
              "The platform's own signature of the raw body, checked by the channel's adapter: Chatwoot's X-Chatwoot-Signature with X-Chatwoot-Timestamp, Meta's X-Hub-Signature-256.",
          },
          channelToken: {
            type: 'apiKey',
            in: 'query',
            name: 'token',
            description:
              "The connection's own random token in the URL, for platforms that cannot sign (a Chatwoot macro, an older Chatwoot): shown with the connection's endpoints.",
          },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await registerPublic(app, async (scope) => {
    await scope.register(fastifySwaggerUi, { routePrefix: '/docs', transformStaticCSP: allowInlineStyles });
  });
}
