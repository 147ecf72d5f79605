import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiKeyCreated, ApiKeyInput, ApiKeySummary } from '../../contract/accounts.ts';
import type { EngineApi } from '../../runtime/engine-api.ts';
import { actorOf } from '../actor.ts';
import { auditor } from '../audit.ts';
import { apiErrors, notFoundError } from '../error-body.ts';
import { roleRoute } from '../route-config.ts';
import { IdParams } from './params.ts';

const tags = ['accounts'];

/**
 * `/keys`: the owner's named API keys. A key is in exactly one answer, its creation's; every
 * other answer goes through `ApiKeySummary`, which has no field for a key or its hash.
 */
export const keyRoutes: FastifyPluginAsyncZod<{ engine: EngineApi }> = async (app, { engine }) => {
  const audit = auditor(engine);
  app.get(
    '/keys',
    {
      config: roleRoute('owner'),
      schema: {
        tags,
        summary: 'The named API keys, newest first, revoked ones included: name, role, prefix, creator, last use',
        response: { 200: z.array(ApiKeySummary), ...apiErrors },
      },
    },
    async () => engine.apiKeys.list(),
  );

  app.post(
    '/keys',
    {
      config: roleRoute('owner'),
      schema: {
        tags,
        summary: 'Create a named key with a role; the answer is the only time the key is shown (it is stored hashed)',
        body: ApiKeyInput,
        response: { 201: ApiKeyCreated, ...apiErrors },
      },
    },
    async (request, reply) => {
      const created = await engine.apiKeys.create(request.body, actorOf(request).name);
      await audit(request, 'key.created', targetOf(created), { role: created.role });
      // The key is in this answer only: no cache along the way may keep it.
      return reply.code(201).header('cache-control', 'no-store').send(created);
    },
  );

  app.delete(
    '/keys/:id',
    {
      config: roleRoute('owner'),
      schema: {
        tags,
        summary:
          'Revoke a key: calls with it are refused (401) within seconds; it stays listed with revokedAt. Revoking it again changes nothing',
        params: IdParams,
        response: { 200: ApiKeySummary, ...apiErrors, ...notFoundError },
      },
    },
    async (request) => {
      const { key, revokedNow } = await engine.apiKeys.revoke(request.params.id);
      if (revokedNow) await audit(request, 'key.revoked', targetOf(key), { role: key.role });
      return key;
    },
  );
};

const targetOf = (key: ApiKeySummary) => ({ kind: 'key' as const, id: key.id, name: key.name });
