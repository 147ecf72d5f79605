import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { AppOptions } from './app-options.ts';
import { installAuth } from './auth.ts';
import { registerEditor } from './editor.ts';
import { createErrorHandler } from './error-handler.ts';
import { clientErrorHandler, frameworkErrors } from './framework-errors.ts';
import { installHostCheck } from './host-check.ts';
import { requestLogger } from './logger.ts';
import { createNotFoundHandler } from './not-found.ts';
import { registerOpenApi } from './openapi.ts';
import { registerPublic } from './public-scope.ts';
import { accountRoutes } from './routes/account.ts';
import { alertRoutes } from './routes/alerts.ts';
import { auditRoutes } from './routes/audit.ts';
import { channelRoutes } from './routes/channels.ts';
import { connectionRoutes } from './routes/connections.ts';
import { eventRoutes } from './routes/events.ts';
import { healthRoutes } from './routes/health.ts';
import { keyRoutes } from './routes/keys.ts';
import { meRoutes } from './routes/me.ts';
import { messageRoutes } from './routes/messages.ts';
import { nodeRoutes } from './routes/nodes.ts';
import { runRoutes } from './routes/runs.ts';
import { sessionRoutes } from './routes/session.ts';
import { templateRoutes } from './routes/templates.ts';
import { userRoutes } from './routes/users.ts';
import { workflowRoutes } from './routes/workflows/index.ts';
import { registerSecurityHeaders } from './security-headers.ts';

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * The HTTP API as a Fastify instance, not yet listening: the server process listens on it,
 * tests call `app.inject()`. Routes only call `options.engine`.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const app = Fastify({
    loggerInstance: requestLogger(options.logger),
    bodyLimit,
    trustProxy: options.trustProxy ? [...options.trustProxy] : false,
    frameworkErrors,
    clientErrorHandler,
  });

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(createErrorHandler(bodyLimit));
  app.addHook('onSend', async (request, reply) => {
    // Lets an operator find a failed request in the log from what the caller saw.
    reply.header('x-request-id', request.id);
  });
  await registerSecurityHeaders(app);
  if (options.allowedHosts) installHostCheck(app, options.allowedHosts);
  installAuth(app, {
    apiKey: options.apiKey,
    checkKey: (token) => options.engine.apiKeys.check(token),
    checkSession: (sessionId) => options.engine.users.checkSession(sessionId),
    publicUrl: options.publicUrl,
    webhookSecret: options.webhookSecret,
    metricsToken: options.metricsToken,
    requireSignatureTimestamp: options.requireSignatureTimestamp ?? false,
    bodyLimit,
  });

  await registerOpenApi(app);
  const { engine, definitions } = options;
  await app.register(healthRoutes, { engine, metrics: options.metrics, refreshMetrics: options.refreshMetrics });
  await app.register(
    async (api) => {
      await api.register(workflowRoutes, { engine });
      await api.register(eventRoutes, { engine });
      await api.register(messageRoutes, { engine });
      await api.register(runRoutes, { engine });
      await api.register(connectionRoutes, { engine });
      await api.register(alertRoutes, { engine });
      await api.register(auditRoutes, { engine });
      await api.register(channelRoutes, { engine, bodyLimit });
      await api.register(nodeRoutes, { engine, definitions });
      await api.register(templateRoutes, { templates: options.templates });
      await api.register(keyRoutes, { engine });
      await api.register(meRoutes);
      await api.register(userRoutes, { engine });
      await api.register(sessionRoutes, { engine, publicUrl: options.publicUrl });
      await api.register(accountRoutes, { engine, publicUrl: options.publicUrl });
    },
    { prefix: '/api' },
  );

  const { editorDir } = options;
  if (editorDir) await registerPublic(app, (scope) => registerEditor(scope, editorDir));
  app.setNotFoundHandler(createNotFoundHandler(options.editorDir !== undefined));
  return app;
}
