import { Redis } from 'ioredis';
import { KeyChecker } from '../accounts/api-key-auth.ts';
import { ApiKeyStore } from '../accounts/api-key-store.ts';
import { SessionStore } from '../accounts/session-store.ts';
import { SignInGuard } from '../accounts/sign-in-limits.ts';
import { UserAccounts } from '../accounts/user-accounts.ts';
import { AccountLinks } from '../accounts/user-links.ts';
import { UserStore } from '../accounts/user-store.ts';
import { AppError, notFound } from '../errors.ts';
import type { NodeRegistry } from '../sdk/define-node.ts';
import type { ConnectionResolver } from '../sdk/runner.ts';
import { AnalyticsStore } from '../stores/analytics-store.ts';
import { AuditStore } from '../stores/audit-store.ts';
import { ConnectionStore } from '../stores/connection-store.ts';
import { WorkflowStore } from '../stores/workflow-store.ts';
import type { Workflow } from '../workflow/schema.ts';
import { takeActiveRunCensus } from './active-run-census.ts';
import { ChannelMemory } from './channel-memory.ts';
import { ChannelOutbox } from './channel-outbox.ts';
import { ChannelReceiver } from './channel-receiver.ts';
import { ChannelWebhook } from './channel-webhook.ts';
import { checkConnection } from './connection-check.ts';
import type { EngineApi } from './engine-api.ts';
import { Enroller, triggerOf } from './enrollment.ts';
import { AlertDelivery } from './failure-alert-delivery.ts';
import { alertKeys, failureAlertCommands } from './failure-alert-record.ts';
import { FailureAlertSender } from './failure-alert-sender.ts';
import { sendTestAlert } from './failure-alert-test.ts';
import { InboundRouter } from './inbound.ts';
import { asServiceError } from './infrastructure-error.ts';
import { Interpreter } from './interpreter.ts';
import { runtimeKeys } from './keys.ts';
import { RunLocks } from './locks.ts';
import { definitionOf } from './node-lookup.ts';
import type { Runtime, RuntimeOptions, WorkerHandle, WorkerOptions } from './options.ts';
import { RunQueue } from './queue.ts';
import { closeConnection, timeOutWhileOffline } from './redis-offline.ts';
import { RunCanceller } from './run-cancel.ts';
import { RunRequeuer } from './run-requeuer.ts';
import { RunRetrier } from './run-retry.ts';
import type { RunState } from './run-state.ts';
import { RunStore } from './run-store.ts';
import { RunWorker } from './run-worker.ts';
import { DEFAULT_MAX_STEPS_PER_RUN } from './step-count.ts';
import { testStep } from './test-step.ts';
import { TimerPoller } from './timers.ts';
import { Triggers } from './triggers.ts';
import { validateWithSecrets } from './validate-with-secrets.ts';
import { WorkflowRetirement } from './workflow-retirement.ts';

const DAY_MS = 86_400_000;
/** Matches the job lock of `run-worker.ts`: a dead worker's run is free when its job is retried. */
const DEFAULT_RUN_LOCK_MS = 8_000;
const GAUGE_REFRESH_MS = 15_000;
/** How long failing a run whose message was refused waits for a job holding it. */
const FAIL_LOCK_WAIT_MS = 5_000;
/** Well under the 5 s after which chat platforms (Chatwoot) give up on a webhook. */
const DEFAULT_REDIS_UNAVAILABLE_TIMEOUT_MS = 1_500;
const DEFAULT_AUDIT_RETENTION_DAYS = 365;

/** Wires the stores, the queue and the interpreter into the engine the HTTP API and workers use. */
export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { prefix, definitions, runners, logger, metrics } = options;
  const unavailableWaitMs = options.redisUnavailableTimeoutMs ?? DEFAULT_REDIS_UNAVAILABLE_TIMEOUT_MS;
  // Auto-pipelining: commands issued in one tick (by the many jobs and requests in flight) go
  // out in one socket write, where each would cost its own syscall.
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 3, enableAutoPipelining: true });
  timeOutWhileOffline(redis, unavailableWaitMs);
  redis.on('error', (error) => logger.error({ err: error }, 'Redis connection error'));

  const keys = runtimeKeys(prefix);
  const alerting = alertKeys(prefix);
  const publicUrl = options.publicUrl ?? 'http://localhost:3000';
  const retentionMs = options.runRetentionDays * DAY_MS;
  const workflows = new WorkflowStore(redis, prefix);
  const connections = new ConnectionStore(redis, prefix, options.encryptionKey, {
    allowPrivateNetwork: options.allowPrivateNetwork,
    ...(options.channels ? { channels: options.channels.definitions } : {}),
  });
  const adapters = options.channels?.adapters ?? {};
  const analytics = new AnalyticsStore(redis, prefix);
  const apiKeys = new ApiKeyStore(redis, prefix);
  const keyChecker = new KeyChecker(apiKeys, {
    onNoteUseFailed: (error, keyId) => logger.warn({ err: error, keyId }, 'could not note when an API key was used'),
  });
  const users = new UserAccounts({
    users: new UserStore(redis, prefix),
    sessions: new SessionStore(redis, prefix, options.sessions),
    links: new AccountLinks(redis, prefix, publicUrl),
    guard: new SignInGuard(redis, prefix, options.signInLimits),
  });
  const audit = new AuditStore(redis, prefix, (options.auditRetentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS) * DAY_MS);
  const store = new RunStore(redis, keys, retentionMs, (id) => workflows.activeRunKeys(id));
  // BullMQ defines its scripts as commands on its connection, and every auto-pipeline batch of
  // that connection copies them all: the queue gets a connection of its own.
  const queueConnection = new Redis(options.redisUrl, { maxRetriesPerRequest: 3 });
  timeOutWhileOffline(queueConnection, unavailableWaitMs);
  queueConnection.on('error', (error) => logger.error({ err: error }, 'Redis connection error (run queue)'));
  // Fails before anything is built, leaving no connection behind. Telling the operator why
  // Redis is unreachable is the startup check's job (workers/src/redis-check.ts), which runs first.
  try {
    await queueConnection.ping();
  } catch (error) {
    queueConnection.disconnect();
    redis.disconnect();
    throw error;
  }
  await takeActiveRunCensus(redis, keys, store, workflows.activeRunKeys('').count, logger);
  const queue = new RunQueue(
    queueConnection,
    keys.bullPrefix(),
    options.retry ?? { attempts: 5, backoffMs: 2_000 },
    (error) => logger.error({ err: error }, 'run queue error'),
  );
  const locks = new RunLocks(redis, keys.lock, options.runLockMs ?? DEFAULT_RUN_LOCK_MS);
  const webhook = new ChannelWebhook(options.channelWebhookUrl, options.webhookSecret, logger);
  const memory = new ChannelMemory(redis, keys);
  // A message the platform refused after taking it leaves its run waiting for a reply that cannot come.
  const failWaitingRun = async (runId: string, waitSeq: number, reason: string) => {
    const lock = await locks.acquire(runId, FAIL_LOCK_WAIT_MS);
    if (!lock) throw new Error(`Run ${runId} stayed locked; it was not failed: ${reason}`);
    try {
      const run = await store.get(runId);
      if (run?.status === 'waiting' && run.wait?.seq === waitSeq) await interpreter.abandon(run, lock, reason);
    } finally {
      await lock.release();
    }
  };
  const channel = new ChannelOutbox({
    failWaitingRun,
    webhook,
    adapters,
    connections,
    memory,
    allowPrivateNetwork: options.allowPrivateNetwork,
  });
  const resolver: ConnectionResolver = {
    get: (id: string) =>
      connections.resolve(id).catch((error: unknown) => {
        throw asServiceError(`Reading connection "${id}"`, error);
      }),
    // What the editor shows on the connection; losing it to a Redis hiccup must not fail the step.
    reportRefused: (id, reason) =>
      connections
        .reportRefused(id, reason)
        .catch((error: unknown) =>
          logger.warn({ err: error, connectionId: id }, 'could not mark the connection refused'),
        ),
    reportAccepted: (id) =>
      connections
        .clearRefused(id)
        .catch((error: unknown) =>
          logger.warn({ err: error, connectionId: id }, 'could not clear the refusal of a connection'),
        ),
  };

  const alertDelivery = new AlertDelivery({
    resolveConnection: (id) => connections.resolve(id),
    allowPrivateNetwork: options.allowPrivateNetwork,
  });

  // Published versions never change: cached by id@version.
  const versions = new Map<string, Promise<Workflow>>();
  const loadWorkflow = async (run: RunState): Promise<Workflow> => {
    if (run.test) {
      const snapshot = await store.snapshot(run.id);
      if (!snapshot) throw new Error(`The draft snapshot of test run ${run.id} is missing.`);
      return snapshot;
    }
    const key = `${run.workflowId}@${run.workflowVersion}`;
    let version = versions.get(key);
    if (!version) {
      version = workflows.getVersion(run.workflowId, run.workflowVersion);
      versions.set(key, version);
      version.catch(() => versions.delete(key));
    }
    return version;
  };

  const interpreter = new Interpreter({
    redis,
    keys,
    store,
    definitions,
    runners,
    loadWorkflow,
    channel,
    connections: resolver,
    analytics: { countCommands: (signal, facts) => analytics.countCommands(signal, facts) },
    allowPrivateNetwork: options.allowPrivateNetwork,
    logger,
    metrics,
    maxStepsPerRun: options.maxStepsPerRun ?? DEFAULT_MAX_STEPS_PER_RUN,
    failureAlert: (run, nodeId, reason) => failureAlertCommands(alerting, run, nodeId, reason),
  });
  const enroller = new Enroller(keys, store, queue, metrics, logger);
  const triggers = new Triggers(redis, keys, workflows, definitions, enroller, logger);
  const inbound = new InboundRouter(redis, keys, store, queue, workflows.publishedKey());
  const receiver = new ChannelReceiver({ adapters, connections, memory, outbox: channel, triggers, inbound, logger });

  const canceller = new RunCanceller({ locks, store, interpreter, metrics });
  const retirement = new WorkflowRetirement(workflows, canceller);
  const cancel = async (runId: string) => {
    const outcome = await canceller.cancel(runId);
    if (outcome.kind === 'busy') throw new AppError('RUN_BUSY', runId);
    if (outcome.kind === 'missing') throw notFound('Run', runId);
    if (outcome.kind === 'ended' && outcome.status !== 'cancelled') {
      throw new AppError('RUN_ENDED', {
        runId,
        status: outcome.status,
        next: 'only active runs can be cancelled',
      });
    }
    return detailOf(runId);
  };

  const retrier = new RunRetrier({ redis, keys, locks, store, queue, definitions, workflows, logger });
  const retry = async (runId: string, nodeId: string | undefined, by: string | undefined) => {
    const outcome = await retrier.retry(runId, nodeId, by);
    if (outcome.kind === 'busy') throw new AppError('RUN_BUSY', runId);
    if (outcome.kind === 'missing') throw notFound('Run', runId);
    if (outcome.kind === 'refused') throw new AppError('RUN_NOT_RETRYABLE', { runId, reason: outcome.reason });
    return detailOf(runId);
  };

  const detailOf = async (runId: string) => {
    const detail = await store.detail(runId);
    if (!detail) throw notFound('Run', runId);
    return detail;
  };

  const validate = (workflow: unknown) =>
    validateWithSecrets(workflow, definitions, connections, options.channels?.definitions);

  const api: EngineApi = {
    workflows: {
      create: (input) => {
        refuseUnknownNodeTypes(input, definitions);
        return workflows.create(input);
      },
      list: async () => {
        const since = Date.now() - DAY_MS;
        return Promise.all(
          (await workflows.list()).map(async (record) => ({
            id: record.id,
            name: record.name,
            status: record.status,
            hasUnpublishedChanges: record.hasUnpublishedChanges,
            publishedVersion: record.publishedVersion,
            activeRuns: record.activeRuns,
            createdAt: record.createdAt,
            updatedAt: record.updatedAt,
            triggerType: triggerOf(record, definitions)?.node.type ?? null,
            runsLast24h: await store.countSince(record.id, since),
            failuresLast24h: await store.failuresSince(record.id, since),
          })),
        );
      },
      get: (id) => workflows.get(id),
      update: (id, input) => {
        refuseUnknownNodeTypes(input, definitions);
        return workflows.update(id, input);
      },
      delete: (id, activeRuns) => retirement.delete(id, activeRuns),
      unpublish: (id, activeRuns) => retirement.unpublish(id, activeRuns),
      validate: async (id, draft) => {
        const record = await workflows.get(id);
        // The validator takes any document and reports its shape problems by node and field.
        return validate(draft ? { ...draft, id } : record);
      },
      publish: (id, publishOptions) => workflows.publish(id, validate, publishOptions),
      getVersion: (id, version) => workflows.getVersion(id, version),
      versions: (id) => workflows.versionHistory(id),
    },
    triggers: {
      conversationClosed: (event) => triggers.conversationClosed(event),
      shortcut: (workflowId, request) =>
        request.connection === undefined
          ? triggers.shortcut(workflowId, request)
          : receiver.shortcut(workflowId, { ...request, connection: request.connection }),
      simulate: (workflowId, request) => triggers.simulate(workflowId, request),
    },
    inbound: (message, signedDigest) => inbound.route(message, signedDigest),
    channels: {
      receive: (call) => receiver.receive(call),
    },
    runs: {
      list: (query) => store.list(query),
      page: (query) => store.page(query),
      get: detailOf,
      cancel,
      reply: (id, text) => inbound.replyToTestRun(id, text),
      retry,
      retryAll: async (workflowId, request, by) => {
        await workflows.get(workflowId);
        return retrier.retryAll(workflowId, request, by);
      },
    },
    testStep: (nodeType, data, variables) =>
      testStep(
        { definitions, runners, connections: resolver, allowPrivateNetwork: options.allowPrivateNetwork, logger },
        nodeType,
        data,
        variables,
      ),
    connections: {
      create: (input) => connections.create(input),
      list: () => connections.list(),
      get: (id) => connections.get(id),
      delete: (id) => connections.delete(id),
      check: (id) => checkConnection(id, { connections, channel, allowPrivateNetwork: options.allowPrivateNetwork }),
      update: (id, patch) => connections.update(id, patch),
    },
    alerts: {
      test: async (workflowId, alerts) => {
        const { id, name } = await workflows.get(workflowId);
        return sendTestAlert(alertDelivery, { id, name }, alerts, publicUrl);
      },
    },
    analytics: {
      csat: (workflowId, query) => analytics.csat(workflowId, query),
      answersCsv: (workflowId, query) => analytics.answersCsv(workflowId, query),
    },
    audit: {
      record: (entry, coalesce) => audit.record(entry, coalesce),
      page: (query) => audit.page(query),
      csv: (query) => audit.csv(query),
    },
    apiKeys: {
      list: () => apiKeys.list(),
      create: (input, createdBy) => apiKeys.create(input, createdBy),
      revoke: async (id) => {
        const revoked = await apiKeys.revoke(id);
        keyChecker.forget(id);
        return revoked;
      },
      check: (token) => keyChecker.check(token),
    },
    users,
    ready: async () => {
      try {
        return (await redis.ping()) === 'PONG';
      } catch {
        return false;
      }
    },
  };

  const refreshGauges = async () => {
    const [waiting, depth, scheduled] = await Promise.all([
      store.waitingCount(),
      queue.depth(),
      redis.zcard(keys.timers()),
    ]);
    metrics.waitingRuns.set(waiting);
    for (const [state, count] of Object.entries(depth)) metrics.queueDepth.set({ state }, count);
    // Wait deadlines not yet due: the timeouts to come (they become jobs when due).
    metrics.queueDepth.set({ state: 'scheduled' }, scheduled);
  };
  const gaugeTimer = setInterval(() => {
    refreshGauges().catch((error) => logger.warn({ err: error }, 'could not refresh run gauges'));
  }, GAUGE_REFRESH_MS);
  gaugeTimer.unref();

  const workers = new Set<WorkerHandle>();
  return {
    api,
    redis,
    refreshGauges,
    startWorker: (workerOptions: WorkerOptions): WorkerHandle => {
      const worker = new RunWorker(
        {
          redisUrl: options.redisUrl,
          bullPrefix: keys.bullPrefix(),
          interpreter,
          locks,
          store,
          runKey: keys.run,
          logger,
        },
        workerOptions,
      );
      const timers = new TimerPoller(redis, keys.timers(), queue, workerOptions.timerPollMs ?? 1_000, logger);
      timers.start();
      const requeuer = new RunRequeuer({
        redis,
        keys,
        store,
        queue,
        metrics,
        logger,
        afterMs: options.requeueAfterMs,
        intervalMs: workerOptions.requeueSweepMs,
      });
      requeuer.start();
      const alerts = new FailureAlertSender({
        redis,
        keys: alerting,
        getVersion: (id, version) => workflows.getVersion(id, version),
        resolveConnection: (id) => connections.resolve(id),
        publicUrl,
        allowPrivateNetwork: options.allowPrivateNetwork,
        logger,
        metrics,
        ...(workerOptions.alertPollMs === undefined ? {} : { intervalMs: workerOptions.alertPollMs }),
      });
      alerts.start();
      const handle = {
        close: async (closeOptions?: { force?: boolean }) => {
          await timers.stop();
          await requeuer.stop();
          await alerts.stop();
          await worker.close(closeOptions);
          workers.delete(handle);
        },
      };
      workers.add(handle);
      return handle;
    },
    close: async () => {
      clearInterval(gaugeTimer);
      for (const worker of workers) await worker.close();
      workers.clear();
      await queue.close();
      await webhook.close();
      await closeConnection(queueConnection);
      await closeConnection(redis);
    },
  };
}

/**
 * A draft may be invalid, but not hold a step of a type this server does not have (a file from
 * another install or version): nothing could show, configure or run it, so it is refused, named.
 */
function refuseUnknownNodeTypes(
  workflow: { nodes?: readonly { id?: unknown; type?: unknown }[] },
  definitions: NodeRegistry,
): void {
  const unknown = (workflow.nodes ?? []).filter(
    (node) => typeof node.type === 'string' && definitionOf(definitions, node.type) === undefined,
  );
  if (unknown.length === 0) return;
  const named = unknown.map((node) => `"${String(node.id)}" (type "${String(node.type)}")`).join(', ');
  throw new AppError(
    'BAD_REQUEST',
    `This server has no node type for step ${named}: the workflow comes from another install or version. Remove or replace those steps in the file, or install the node type.`,
  );
}
