import type { Redis, RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import type { SessionTimes } from '../accounts/session-store.ts';
import type { SignInLimits } from '../accounts/sign-in-limits.ts';
import type { Metrics } from '../metrics.ts';
import type { ChannelAdapterRegistry } from '../sdk/channel-adapter.ts';
import type { ChannelRegistry } from '../sdk/define-channel.ts';
import type { NodeRegistry } from '../sdk/define-node.ts';
import type { RunnerRegistry } from '../sdk/runner.ts';
import type { EngineApi } from './engine-api.ts';

export interface RuntimeOptions {
  redisUrl: string;
  /** Prefix of every Redis key and BullMQ queue name, so several installs (or tests) share one Redis. */
  prefix: string;
  definitions: NodeRegistry;
  runners: RunnerRegistry;
  /** The chat platforms connections can be made to (`channels/`): definitions and their adapters, by kind. */
  channels?: { definitions: ChannelRegistry; adapters: ChannelAdapterRegistry };
  /** 32 bytes; encrypts connection secrets at rest (AES-256-GCM). */
  encryptionKey: Buffer;
  /** HMAC key for signing outbound messages. */
  webhookSecret: string;
  /** Where outbound messages to contacts are POSTed; unset means they are only logged in the step log. */
  channelWebhookUrl?: string;
  allowPrivateNetwork: boolean;
  /** Ended runs are deleted after this many days. */
  runRetentionDays: number;
  /** Audit log entries are deleted after this many days (default 365). */
  auditRetentionDays?: number;
  logger: Logger;
  metrics: Metrics;
  /** How long a run's lock outlives a worker that died holding it (default 8 s). */
  runLockMs?: number;
  /** Retries of a step failing with a retryable error (default 5 executions, backoff from 2 s). */
  retry?: { attempts: number; backoffMs: number };
  /** Steps one run may take (default 1,000): past them it fails, so a loop cannot run forever. */
  maxStepsPerRun?: number;
  /**
   * How long a request waits at most for an unreachable Redis before its commands fail
   * (default 1.5 s): the API then answers 503 instead of holding the caller.
   */
  redisUnavailableTimeoutMs?: number;
  /** A run queued or running with no job and no lock for this long is enqueued again (default 60 s). */
  requeueAfterMs?: number;
  /** `PUBLIC_URL`: the address people reach the editor at; failure alerts link to runs under it (default http://localhost:3000). */
  publicUrl?: string;
  /** How long a session lasts idle (`SESSION_TTL_HOURS`, default 12 h) and at most (7 days). */
  sessions?: Partial<SessionTimes>;
  /** Failed sign-ins allowed per account and per address in a window (default 5 and 20 per 15 minutes). */
  signInLimits?: SignInLimits;
}

export interface WorkerOptions {
  /** Jobs this worker runs at once; the product's default is WORKER_CONCURRENCY's (workers/src/config.ts). */
  concurrency: number;
  /** BullMQ job lock duration: how soon a job of a dead worker is taken over (default 8 s). */
  lockDurationMs?: number;
  /** How often the worker looks for jobs of dead workers (default 3 s). */
  stalledIntervalMs?: number;
  /** How often the worker looks for due wait deadlines (default 1 s): the precision of timeouts. */
  timerPollMs?: number;
  /** How often a worker offers to look for runs left without a job (default a quarter of `requeueAfterMs`, 1–30 s). */
  requeueSweepMs?: number;
  /** How often the worker looks for failure alerts due (default 2 s). */
  alertPollMs?: number;
}

export interface WorkerHandle {
  /** Stops taking jobs; in-flight steps finish first. `force` abandons them instead, like a
   * killed process: another worker takes their runs over once their locks expire. */
  close(options?: { force?: boolean }): Promise<void>;
}

export interface Runtime {
  api: EngineApi;
  /** Starts a BullMQ worker in this process that advances runs. */
  startWorker(options: WorkerOptions): WorkerHandle;
  /** Refreshes the waiting-runs and queue-depth gauges (call before serving `/metrics`). */
  refreshGauges(): Promise<void>;
  /** Closes queues and Redis connections (after closing workers). */
  close(): Promise<void>;
  /** A Redis connection for readiness checks and metrics. */
  redis: Redis;
}

export type { RedisOptions };
