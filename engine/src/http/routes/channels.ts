import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EngineApi } from '../../runtime/engine-api.ts';
import { channelRoute } from '../route-config.ts';

const ChannelParams = z.object({
  kind: z.string().max(40),
  connectionId: z.string().max(64),
  '*': z.string().max(400),
});

/**
 * The URLs a chat platform calls for one channel connection: `/api/channels/<kind>/<connectionId>/…`.
 * The body stays bytes (signatures cover exactly what was sent) and the connection's adapter
 * authenticates the call; whatever it is, the platform gets its answer at once.
 */
export const channelRoutes: FastifyPluginAsyncZod<{ engine: EngineApi; bodyLimit: number }> = async (
  app,
  { engine, bodyLimit },
) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit },
    async (_request: FastifyRequest, body: Buffer) => body,
  );

  app.route({
    method: ['GET', 'POST'],
    url: '/channels/:kind/:connectionId/*',
    config: channelRoute,
    schema: {
      tags: ['channels'],
      summary:
        "A chat platform's webhook for a channel connection (Chatwoot, WhatsApp Cloud API): verified by its adapter (signature, URL token or Meta's handshake)",
      params: ChannelParams,
    },
    handler: async (request, reply) => {
      const { kind, connectionId, '*': path } = request.params;
      const answer = await engine.channels.receive({
        kind,
        connectionId,
        path,
        method: request.method === 'GET' ? 'GET' : 'POST',
        query: stringsOf(request.query),
        headers: stringsOf(request.headers),
        rawBody: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
        receivedAt: Date.now(),
      });
      return reply.code(answer.status).type(answer.contentType).send(answer.body);
    },
  });
};

/** Single-valued strings of a query or headers object; repeated ones keep their first value. */
function stringsOf(values: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof values !== 'object' || values === null) return out;
  for (const [name, value] of Object.entries(values)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') out[name] = first;
  }
  return out;
}
