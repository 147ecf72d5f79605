import { closeOutboundDispatchers } from '@convoflow/engine/net';
import type { Metrics, OwnerStart, Runtime } from '@convoflow/engine/server-only';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { redactRedisUrl } from './config.ts';
import type { ExampleImport } from './examples.ts';
import type { ProcessContext } from './lifecycle.ts';
import { type Config, loadConfig } from './load-config.ts';
import { createLogger } from './logger.ts';
import { checkRedis } from './redis-check.ts';
import { StartupError } from './startup-error.ts';

/**
 * The steps every entry point shares, each registering what it opened for shutdown. The engine,
 * Fastify and BullMQ are imported only once the configuration and Redis are known to be good,
 * so an operator's mistake is reported at once instead of after seconds of module loading.
 */

export interface Core {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  runtime: Runtime;
}

/** Config, logger, a Redis check (reachable, credentials, settings that keep runs), then the runtime. */
export async function bootCore(
  processName: string,
  env: Record<string, string | undefined>,
  context: ProcessContext,
): Promise<Core> {
  const config = await loadConfig(env);
  const logger = createLogger(config.logLevel, processName);
  context.adoptLogger(logger);
  for (const warning of await checkRedis(config.redisUrl, { production: config.production })) logger.warn(warning);
  const [{ createMetrics }, { composeRuntime }] = await Promise.all([
    import('@convoflow/engine/server-only'),
    import('./compose.ts'),
  ]);
  const metrics = createMetrics();
  const runtime = await composeRuntime(config, logger, metrics);
  context.defer(() => runtime.close());
  return { config, logger, metrics, runtime };
}

/** A queue worker in this process; closing it lets in-flight steps finish. */
export function bootWorker(core: Core, context: ProcessContext): void {
  const worker = core.runtime.startWorker({ concurrency: core.config.workerConcurrency });
  // Deferred first, so closed last: steps still in flight keep their pooled connections.
  context.defer(closeOutboundDispatchers);
  context.defer(() => worker.close());
  core.logger.info({ concurrency: core.config.workerConcurrency }, 'Worker started');
}

/**
 * Examples (first start only), the owner's account (from OWNER_EMAIL / OWNER_PASSWORD, else a
 * one-time link to print, while no user exists), then the HTTP API listening on HOST:PORT.
 */
export async function bootHttp(
  core: Core,
  context: ProcessContext,
): Promise<{ app: FastifyInstance; examples: ExampleImport; owner: OwnerStart }> {
  const { config, logger, metrics, runtime } = core;
  const [{ builtEditorDir, composeApp }, { importExamples }] = await Promise.all([
    import('./compose.ts'),
    import('./examples.ts'),
  ]);
  const examples = await importExamples({ api: runtime.api, redis: runtime.redis, prefix: config.redisPrefix, logger });
  const owner = await runtime.api.users.startOwner(config.owner);
  if (owner.kind === 'created') logger.info({ email: owner.email }, 'owner account created from OWNER_EMAIL');
  const app = await composeApp(config, runtime, logger, metrics, builtEditorDir(logger));
  context.defer(() => app.close());
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
      throw new StartupError(
        `Port ${config.port} on ${config.host} is already in use: stop the process using it, or set PORT.`,
      );
    }
    throw error;
  }
  return { app, examples, owner };
}

/** What an operator needs to know after a start, as plain lines (the logs are JSON). */
export function printStartBanner(
  core: Core,
  options: { title: string; http: boolean; showApiKey: boolean; examples?: ExampleImport; owner?: OwnerStart },
): void {
  const { config } = core;
  const origin = config.secretsOrigin;
  const shownHost = ['0.0.0.0', '127.0.0.1', '::', '::1'].includes(config.host) ? 'localhost' : config.host;
  const base = `http://${shownHost}:${config.port}`;
  const lines = [options.title];
  if (options.http) {
    lines.push(`  Editor:   ${base}`, `  API docs: ${base}/docs`);
    if (options.showApiKey && origin.apiKeyFromFile) lines.push(`  API key:  ${config.apiKey}`);
    else lines.push(`  API key:  ${origin.apiKeyFromFile ? `in ${origin.file}` : 'the API_KEY you set'}`);
    if (options.owner?.kind === 'link') {
      // The only way to the owner's account on a new install: shown here, never logged.
      lines.push(
        `  Owner:    no account yet: open ${options.owner.link.url} to create the owner's (works once, for 24 hours; a restart prints a new one)`,
      );
    }
    if (options.owner?.kind === 'created') lines.push(`  Owner:    ${options.owner.email} (from OWNER_EMAIL)`);
  }
  lines.push(`  Redis:    ${redactRedisUrl(config.redisUrl)} (key prefix "${config.redisPrefix}")`);
  if (origin.file) {
    lines.push(
      `  Secrets:  ${origin.file} (${origin.generated ? 'generated now' : 'kept from an earlier start'}; keep it: it decrypts saved connections)`,
    );
  }
  if (options.examples && options.examples.imported.length > 0) {
    lines.push(`  Examples: ${options.examples.imported.join(', ')} (drafts; open them in the editor)`);
  }
  if (!config.channelWebhookUrl) {
    lines.push('  Messages: CHANNEL_WEBHOOK_URL is not set, so messages to contacts only appear in the run log');
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
