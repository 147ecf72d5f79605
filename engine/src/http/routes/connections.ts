import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ConnectionCheckResult,
  ConnectionInput,
  ConnectionPatch,
  ConnectionSummary,
} from '../../contract/connections.ts';
import type { EngineApi } from '../../runtime/engine-api.ts';
import { type AuditDetails, auditor } from '../audit.ts';
import { apiErrors, ErrorBody, notFoundError } from '../error-body.ts';
import { roleRoute } from '../route-config.ts';
import { IdParams, NoContent } from './params.ts';

const tags = ['connections'];
/**
 * Credentials of third-party services. Every answer goes through `ConnectionSummary`, which has
 * no secret field: whatever the store returns, the serializer can only emit the summary.
 */
export const connectionRoutes: FastifyPluginAsyncZod<{ engine: EngineApi }> = async (app, { engine }) => {
  const audit = auditor(engine);
  app.post(
    '/connections',
    {
      config: roleRoute('editor'),
      schema: {
        tags,
        summary: 'Store a connection; its secret is encrypted at rest and never returned',
        body: ConnectionInput,
        response: {
          201: ConnectionSummary,
          ...apiErrors,
          409: ErrorBody.describe('CONNECTION_ID_TAKEN: the id is taken'),
        },
      },
    },
    async (request, reply) => {
      const created = await engine.connections.create(request.body);
      await audit(request, 'connection.created', targetOf(created), auditDetails(created));
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/connections',
    {
      config: roleRoute('read'),
      schema: {
        tags,
        summary: 'List connections',
        response: { 200: z.array(ConnectionSummary), ...apiErrors },
      },
    },
    async () => engine.connections.list(),
  );

  app.get(
    '/connections/:id',
    {
      config: roleRoute('read'),
      schema: {
        tags,
        summary: 'A connection, without its secret',
        params: IdParams,
        response: { 200: ConnectionSummary, ...apiErrors, ...notFoundError },
      },
    },
    async (request) => engine.connections.get(request.params.id),
  );

  app.patch(
    '/connections/:id',
    {
      config: roleRoute('editor'),
      schema: {
        tags,
        summary:
          "Change a connection in place: a channel's name, settings (merged) or secrets (added or replaced), its URLs and their token staying; a Google connection's name, service-account key or apiEndpoint. Clears a refusal",
        params: IdParams,
        body: ConnectionPatch,
        response: { 200: ConnectionSummary, ...apiErrors, ...notFoundError },
      },
    },
    async (request) => {
      const updated = await engine.connections.update(request.params.id, request.body);
      // Which fields were sent, never their values: a patch may carry secrets.
      const changed = Object.keys(request.body).sort().join(', ');
      await audit(request, 'connection.updated', targetOf(updated), { ...auditDetails(updated), changed });
      return updated;
    },
  );

  app.post(
    '/connections/:id/check',
    {
      config: roleRoute('editor'),
      schema: {
        tags,
        summary:
          "Call a Google or channel connection's provider with its credentials and say what it answered; Google's refusal marks the connection refused, a success clears that",
        params: IdParams,
        response: { 200: ConnectionCheckResult, ...apiErrors, ...notFoundError },
      },
    },
    async (request) => engine.connections.check(request.params.id),
  );

  app.delete(
    '/connections/:id',
    {
      config: roleRoute('editor'),
      schema: {
        tags,
        summary: 'Delete a connection',
        params: IdParams,
        response: { 204: NoContent, ...apiErrors, ...notFoundError },
      },
    },
    async (request, reply) => {
      // Read first: the log names what was deleted. A connection that is not there fails the delete below as well.
      const connection = await engine.connections.get(request.params.id);
      await engine.connections.delete(request.params.id);
      await audit(request, 'connection.deleted', targetOf(connection), auditDetails(connection));
      return reply.code(204).send(null);
    },
  );
};

const targetOf = (connection: ConnectionSummary) =>
  ({ kind: 'connection', id: connection.id, name: connection.name }) as const;

/** What the audit log says of a connection: its type and name (and a channel's platform), never a secret. */
function auditDetails(connection: ConnectionSummary): NonNullable<AuditDetails> {
  return {
    type: connection.type,
    name: connection.name,
    ...(connection.type === 'channel' ? { channel: connection.channel } : {}),
  };
}
