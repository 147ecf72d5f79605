import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AppError } from '../errors.ts';
import type { Metrics } from '../metrics.ts';
import { LuaScript } from '../redis/lua-script.ts';
import type { Connection } from '../sdk/runner.ts';
import type { Workflow } from '../workflow/schema.ts';
import { AlertDelivery } from './failure-alert-delivery.ts';
import { type AlertFacts, runUrl } from './failure-alert-message.ts';
import { type AlertKeys, RecordedFailure } from './failure-alert-record.ts';
import { PeriodicTask } from './periodic-task.ts';

/** How many due alerts one pass sends at most. */
const BATCH = 50;
/** Longer than sending to every destination can take: a dead worker's claim expires. */
const CLAIM_MS = 90_000;
const FIRST_RETRY_MS = 10_000;
const MAX_RETRY_MS = 5 * 60_000;

const settle = new LuaScript('alert-settle');
/** Deletes the sending claim only while it holds this worker's token. */
const release = new LuaScript('lock-release');

export interface FailureAlertSenderDeps {
  redis: Redis;
  keys: AlertKeys;
  /** The workflow version the failed run ran: its `settings.alerts` and step names. */
  getVersion(workflowId: string, version: number): Promise<Workflow>;
  /** Secret connections, decrypted (the Slack URL, the webhook's signing secret). */
  resolveConnection(id: string): Promise<Connection>;
  /** `PUBLIC_URL`: where the alert's link to the run points. */
  publicUrl: string;
  allowPrivateNetwork: boolean;
  logger: Logger;
  metrics: Metrics;
  /** How often this worker looks for due alerts (default 2 s). */
  intervalMs?: number;
}

/**
 * Sends the failure alerts that are due, from any worker of the fleet: a workflow's alert is
 * claimed by one worker at a time and settled atomically once every destination took it, so
 * it goes out at least once, and at most once per quiet window unless a destination failed
 * (then all are tried again, with backoff). The failures recorded while it was being sent stay
 * counted for the next one.
 */
export class FailureAlertSender {
  private readonly task: PeriodicTask;
  private readonly delivery: AlertDelivery;

  constructor(private readonly deps: FailureAlertSenderDeps) {
    this.delivery = new AlertDelivery(deps);
    this.task = new PeriodicTask(
      () => this.sendDue(),
      deps.intervalMs ?? 2_000,
      (error) => deps.logger.error({ err: error }, 'could not send failure alerts'),
    );
  }

  start(): void {
    this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /** Sends every alert due by `now`; returns how many went out. */
  async sendDue(now = Date.now()): Promise<number> {
    const { redis, keys } = this.deps;
    const due = await redis.zrangebyscore(keys.due(), '-inf', now, 'LIMIT', 0, BATCH);
    let sent = 0;
    for (const workflowId of due) {
      try {
        if (await this.sendClaimed(workflowId, now)) sent += 1;
      } catch (error) {
        this.deps.logger.error({ err: error, workflowId }, 'could not send a failure alert');
      }
    }
    return sent;
  }

  private async sendClaimed(workflowId: string, now: number): Promise<boolean> {
    const { redis, keys } = this.deps;
    const token = randomUUID();
    if ((await redis.set(keys.sending(workflowId), token, 'PX', CLAIM_MS, 'NX')) !== 'OK') return false;
    try {
      return await this.send(workflowId, now);
    } finally {
      // In one step: read, then deleted, the claim could have expired and gone to another worker in between.
      await release.run(redis, [keys.sending(workflowId)], [token]);
    }
  }

  private async send(workflowId: string, now: number): Promise<boolean> {
    const { redis, keys, logger } = this.deps;
    const state = await redis.hgetall(keys.workflow(workflowId));
    const count = Number(state.count ?? 0);
    const latest = state.last === undefined ? null : RecordedFailure.parse(JSON.parse(state.last));
    if (count <= 0 || latest === null) {
      await this.settle(workflowId, Math.max(count, 0), null, null);
      return false;
    }
    // A version that is gone (its workflow deleted) has no alerts; Redis failing is tried again next pass.
    const workflow = await this.deps.getVersion(workflowId, latest.workflowVersion).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'NOT_FOUND') return null;
      throw error;
    });
    const alerts = workflow?.settings.alerts;
    if (!workflow || !alerts || alerts.destinations.length === 0) {
      // This version wants no alerts: its failures are not kept for a later one that does.
      await this.settle(workflowId, count, null, null);
      return false;
    }
    const quietMs = alerts.quietMinutes * 60_000;
    const lastAlertAt = state.sentAt === undefined ? null : Number(state.sentAt);
    if (lastAlertAt !== null && lastAlertAt + quietMs > now) {
      await redis.zadd(keys.due(), 'XX', lastAlertAt + quietMs, workflowId);
      return false;
    }
    const facts = factsOf(workflow, count, lastAlertAt, latest, this.deps.publicUrl);
    try {
      for (const destination of alerts.destinations) await this.delivery.deliver(destination, facts);
    } catch (error) {
      this.deps.metrics.alertsSent.inc({ workflow: workflowId, outcome: 'failed' });
      const attempts = Number(state.attempts ?? 0) + 1;
      const retryMs = Math.min(FIRST_RETRY_MS * 2 ** (attempts - 1), MAX_RETRY_MS, quietMs);
      await redis
        .multi()
        .hset(keys.workflow(workflowId), 'attempts', attempts)
        .zadd(keys.due(), 'XX', now + retryMs, workflowId)
        .exec();
      logger.warn(
        { workflowId, attempts, err: error instanceof Error ? error.message : String(error) },
        `a failure alert was not delivered; trying again in ${Math.round(retryMs / 1000)} s`,
      );
      return false;
    }
    await this.settle(workflowId, count, now, now + quietMs);
    this.deps.metrics.alertsSent.inc({ workflow: workflowId, outcome: 'sent' });
    logger.info({ workflowId, failures: count, runId: latest.runId }, 'failure alert sent');
    return true;
  }

  private settle(workflowId: string, count: number, sentAt: number | null, nextDue: number | null) {
    const { redis, keys } = this.deps;
    return settle.run(
      redis,
      [keys.workflow(workflowId), keys.due()],
      [String(-count || 0), workflowId, sentAt === null ? '' : sentAt, nextDue === null ? '' : nextDue],
    );
  }
}

function factsOf(
  workflow: Workflow,
  count: number,
  lastAlertAt: number | null,
  latest: RecordedFailure,
  publicUrl: string,
): AlertFacts {
  const node = latest.nodeId === null ? undefined : workflow.nodes.find((candidate) => candidate.id === latest.nodeId);
  return {
    workflow: { id: workflow.id, name: workflow.name },
    count,
    lastAlertAt,
    latest,
    stepName: latest.nodeId === null ? null : node?.label || latest.nodeId,
    runUrl: runUrl(publicUrl, workflow.id, latest.runId),
  };
}
