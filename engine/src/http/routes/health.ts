import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Metrics } from '../../metrics.ts';
import type { EngineApi } from '../../runtime/engine-api.ts';
import { metricsRoute, publicRoute } from '../route-config.ts';

const tags = ['operations'];

/** A readiness probe must answer even when Redis hangs instead of refusing. */
const READY_TIMEOUT_MS = 3000;

const Health = z.object({ status: z.literal('ok') });
const Readiness = z.object({ status: z.enum(['ready', 'unavailable']), message: z.string().optional() });

interface HealthRouteOptions {
  engine: EngineApi;
  metrics: Metrics;
  refreshMetrics?: () => Promise<void>;
}

/** Probes for orchestrators (open) and Prometheus metrics (METRICS_TOKEN or the API key). */
export const healthRoutes: FastifyPluginAsyncZod<HealthRouteOptions> = async (
  app,
  { engine, metrics, refreshMetrics },
) => {
  app.get(
    '/health',
    { config: publicRoute, schema: { tags, summary: 'The process is up', response: { 200: Health } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      config: publicRoute,
      schema: {
        tags,
        summary: 'Ready to serve: Redis answers (503 otherwise)',
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (request, reply) => {
      if (await isReady(engine, request.log)) return { status: 'ready' as const };
      return reply.code(503).send({
        status: 'unavailable',
        message: 'Redis does not answer: check REDIS_URL and that Redis is running.',
      });
    },
  );

  app.get(
    '/metrics',
    {
      config: metricsRoute,
      schema: {
        tags,
        summary: 'Prometheus metrics: runs, step durations, queue depth, waiting runs',
        response: { 200: { description: 'Prometheus text format', content: { 'text/plain': { schema: z.string() } } } },
      },
    },
    async (request, reply) => {
      if (refreshMetrics) {
        // Stale gauges beat a failed scrape: counters and histograms are still worth reading.
        await refreshMetrics().catch((error: unknown) => request.log.warn({ err: error }, 'metrics refresh failed'));
      }
      return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    },
  );
};

async function isReady(engine: EngineApi, log: { warn: (obj: object, msg: string) => void }): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS);
  });
  try {
    return await Promise.race([engine.ready(), timeout]);
  } catch (error) {
    log.warn({ err: error }, 'readiness check failed');
    return false;
  } finally {
    clearTimeout(timer);
  }
}
