import type { FastifyInstance } from 'fastify';

/**
 * Registers what `register` adds (the editor's files, the API documentation) in a scope whose
 * routes are public unless they say otherwise: third-party plugins cannot declare an auth mode
 * on the routes they create, and an undeclared route would stop the app from starting.
 */
export async function registerPublic(
  app: FastifyInstance,
  register: (scope: FastifyInstance) => Promise<void>,
): Promise<void> {
  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.config = { ...route.config, auth: route.config?.auth ?? 'public' };
    });
    await register(scope);
  });
}
