import type { Redis, RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.ts';
import type { NodeRegistry } from '../sdk/define-node.ts';
import type { RunnerRegistry } from '../sdk/runner.ts';
import type { EngineApi } from './engine-api.ts';

export interface RuntimeOptions {
  redisUrl: string;
  /** Prefix of every Redis key and BullMQ queue name, so several installs (or tests) share one Redis. */
  prefix: string;
  definitions: NodeRegistry;
  runners: RunnerRegistry;
  /** 32 bytes; encrypts connection secrets at rest (AES-256-GCM). */
  encryptionKey: Buffer;
  /** HMAC key for signing outbound messages. */
  webhookSecret: string;
  /** Where outbound messages to contacts are POSTed; unset means they are only logged in the step log. */
  channelWebhookUrl?: string;
  allowPrivateNetwork: boolean;
  /** Ended runs are deleted after this many days. */
  runRetentionDays: number;
  logger: Logger;
  metrics: Metrics;
}

export interface WorkerHandle {
  /** Stops taking jobs; in-flight steps finish first. */
  close(): Promise<void>;
}

export interface Runtime {
  api: EngineApi;
  /** Starts a BullMQ worker in this process that advances runs. */
  startWorker(options?: { concurrency?: number }): WorkerHandle;
  /** Closes queues and Redis connections (after closing workers). */
  close(): Promise<void>;
  /** A Redis connection for readiness checks and metrics. */
  redis: Redis;
}

export type { RedisOptions };
