import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { EngineApi } from '../../../runtime/engine-api.ts';
import { csatRoutes } from './csat.ts';
import { draftRoutes } from './drafts.ts';
import { lifecycleRoutes } from './lifecycle.ts';
import { runsRetryRoutes } from './runs-retry.ts';
import { shortcutRoutes } from './shortcut.ts';
import { simulateRoutes } from './simulate.ts';

/** Everything under `/workflows`, one file per part of the URL. */
export const workflowRoutes: FastifyPluginAsyncZod<{ engine: EngineApi }> = async (app, options) => {
  await app.register(draftRoutes, options);
  await app.register(lifecycleRoutes, options);
  await app.register(shortcutRoutes, options);
  await app.register(simulateRoutes, options);
  await app.register(csatRoutes, options);
  await app.register(runsRetryRoutes, options);
};
