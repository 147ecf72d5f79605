import { existsSync } from 'node:fs';
import path from 'node:path';
import { channels } from '@convoflow/channels';
import { adapters } from '@convoflow/channels/adapters';
import { buildApp, createRuntime, type Metrics, type Runtime } from '@convoflow/engine/server-only';
import { definitions } from '@convoflow/nodes';
import { runners } from '@convoflow/nodes/runners';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './load-config.ts';
import { exampleTemplates } from './templates.ts';

/** The built editor, served at `/` when present (`npm run build:editor` makes it). */
export const editorDistDir = path.resolve(import.meta.dirname, '../../editor/dist');

/** The engine runtime of this install: stores, queues, node runners and channel adapters on the configured Redis. */
export function composeRuntime(config: Config, logger: Logger, metrics: Metrics): Promise<Runtime> {
  return createRuntime({
    redisUrl: config.redisUrl,
    prefix: config.redisPrefix,
    definitions,
    runners,
    channels: { definitions: channels, adapters },
    encryptionKey: config.encryptionKey,
    webhookSecret: config.webhookSecret,
    channelWebhookUrl: config.channelWebhookUrl,
    allowPrivateNetwork: config.allowPrivateNetwork,
    runRetentionDays: config.runRetentionDays,
    auditRetentionDays: config.auditRetentionDays,
    maxStepsPerRun: config.runMaxSteps,
    redisUnavailableTimeoutMs: config.redisUnavailableTimeoutMs,
    requeueAfterMs: config.runRequeueAfterMs,
    publicUrl: config.publicUrl ?? `http://localhost:${config.port}`,
    sessions: { idleMs: config.sessionTtlHours * 3_600_000 },
    logger,
    metrics,
  });
}

/** `editor/dist` when the editor is built, else undefined (with a warning saying how to build it). */
export function builtEditorDir(logger: Logger): string | undefined {
  if (existsSync(path.join(editorDistDir, 'index.html'))) return editorDistDir;
  logger.warn(`The editor is not built (${editorDistDir}): run "npm run build:editor" to serve it at /.`);
  return undefined;
}

/** The HTTP API over `runtime`, serving the editor from `editorDir` when given; not listening yet. */
export function composeApp(
  config: Config,
  runtime: Runtime,
  logger: Logger,
  metrics: Metrics,
  editorDir: string | undefined,
): Promise<FastifyInstance> {
  return buildApp({
    engine: runtime.api,
    definitions,
    apiKey: config.apiKey,
    webhookSecret: config.webhookSecret,
    metricsToken: config.metricsToken,
    requireSignatureTimestamp: config.requireSignatureTimestamp,
    allowedHosts: allowedHosts(config),
    publicUrl: config.publicUrl,
    ...(config.trustProxy ? { trustProxy: config.trustProxy } : {}),
    editorDir,
    templates: exampleTemplates(logger),
    metrics,
    logger,
    refreshMetrics: () => runtime.refreshGauges(),
  });
}

/**
 * Host names a loopback-bound server answers to: the loopback names and `PUBLIC_URL`'s host.
 * A page elsewhere can point a DNS name of its own at 127.0.0.1 (DNS rebinding) and make a
 * browser call a local install; such requests carry that name. A server bound to other
 * interfaces sits behind a proxy or orchestrator whose Host names it cannot know: no check.
 */
export function allowedHosts(config: Pick<Config, 'host' | 'publicUrl'>): string[] | undefined {
  if (!isLoopback(config.host)) return undefined;
  const names = ['localhost', '127.0.0.1', '[::1]'];
  if (config.publicUrl) names.push(new URL(config.publicUrl).hostname);
  return names;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
