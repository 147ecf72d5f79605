import type { Redis } from 'ioredis';
import { type Secrets, startProduct } from './product.ts';
import { deleteKeys, usedMemory } from './redis.ts';
import { field, type StandIns } from './stand-ins.ts';
import { round } from './stats.ts';
import { now, RunTracker } from './tracker.ts';
import { type BenchWorkflow, publishWorkflow } from './workflow.ts';

export interface MemoryFigures {
  runsRequested: number;
  eventsAccepted: number;
  /** Runs in the engine's waiting set when measured (the divisor); the questions received if there is no such set. */
  runsWaiting: number;
  /** True when the time limit stopped the creation before `runsRequested`. */
  cutShort: boolean;
  createSeconds: number;
  eventsPerSecond: number;
  usedMemoryBefore: number;
  usedMemoryAfter: number;
  bytesPerWaitingRun: number;
  keysPerWaitingRun: number;
  /** MEMORY USAGE of one sample run's own keys, and of the shared indexes divided by the runs waiting. */
  sampleRunKeys: Record<string, number>;
  sharedIndexesPerRun: Record<string, number>;
}

/**
 * Redis bytes per run waiting for a reply: events go in, questions go out, nobody answers.
 * Measured on a fresh prefix once the queue has drained, as `used_memory` after − before,
 * divided by the runs in the waiting set; the prefix is deleted afterwards.
 */
export async function measureMemory(options: {
  redis: Redis;
  redisUrl: string;
  secrets: Secrets;
  standIns: StandIns;
  workflowFor: (crmUrl: string) => Promise<BenchWorkflow>;
  workers: number;
  workerConcurrency: number;
  logLevel: string;
  runs: number;
  concurrency: number;
  timeLimitMs: number;
  progress: (line: string) => void;
}): Promise<MemoryFigures> {
  const { redis, standIns, runs } = options;
  const prefix = `bench-mem-${Date.now().toString(36)}:`;
  const product = await startProduct({
    secrets: options.secrets,
    redisUrl: options.redisUrl,
    prefix,
    channelWebhookUrl: standIns.webhookUrl,
    logLevel: options.logLevel,
    workerConcurrency: options.workerConcurrency,
  });
  try {
    await product.setWorkers(options.workers);
    await publishWorkflow(product.api, await options.workflowFor(standIns.crmUrl));
    const tracker = new RunTracker(`mem${Date.now().toString(36)}`);
    standIns.use(tracker, null);
    const before = await settledMemory(redis);
    const keysBefore = await redis.dbsize();

    const startedAt = now();
    let next = 0;
    let accepted = 0;
    let sampleRunId: string | undefined;
    let lastReport = startedAt;
    const slot = async () => {
      while (next < runs && now() < startedAt + options.timeLimitMs) {
        const { run } = tracker.start(next++);
        const response = await product.api.signed('/api/events/conversation-closed', {
          eventId: run.eventId,
          conversation: { id: run.conversationId, channel: 'whatsapp', closedBy: 'agent' },
          contact: { id: run.contactId, name: 'Ada Lovelace', phone: '+15550100' },
          assignee: { id: 'agent-1', name: 'Grace Hopper' },
        });
        const runIds = field(response.body, 'runs');
        if (response.status === 202 && Array.isArray(runIds) && runIds.length === 1) {
          accepted++;
          if (typeof runIds[0] === 'string') sampleRunId ??= runIds[0];
        }
        if (now() - lastReport > 10_000) {
          lastReport = now();
          options.progress(`  memory: ${accepted} events accepted in ${round((lastReport - startedAt) / 1000)} s`);
        }
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, slot));
    const createSeconds = (now() - startedAt) / 1000;

    const bull = `${prefix}bull:runs`;
    const drainDeadline = now() + Math.max(60_000, options.timeLimitMs / 2);
    const asked = () => tracker.runs.filter((run) => run.questionAt !== undefined).length;
    for (;;) {
      const [waiting, active] = await Promise.all([redis.llen(`${bull}:wait`), redis.llen(`${bull}:active`)]);
      if ((waiting === 0 && active === 0 && asked() >= accepted) || now() > drainDeadline) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    // The engine's waiting set, or the questions the chat stand-in received should that set be renamed.
    const runsWaiting = (await redis.scard(`${prefix}runs:waiting`)) || asked();
    const after = await settledMemory(redis);
    const keysAfter = await redis.dbsize();
    const sample = tracker.runs[0];
    return {
      runsRequested: runs,
      eventsAccepted: accepted,
      runsWaiting,
      cutShort: next < runs,
      createSeconds: round(createSeconds, 1),
      eventsPerSecond: round(accepted / createSeconds),
      usedMemoryBefore: before,
      usedMemoryAfter: after,
      bytesPerWaitingRun: runsWaiting > 0 ? Math.round((after - before) / runsWaiting) : 0,
      keysPerWaitingRun: runsWaiting > 0 ? round((keysAfter - keysBefore) / runsWaiting, 2) : 0,
      sampleRunKeys:
        sampleRunId && sample
          ? await keyUsage(
              redis,
              [sampleRunId, sample.conversationId, sample.contactId, sample.eventId].map((id) => `${prefix}*${id}*`),
            )
          : {},
      sharedIndexesPerRun: await sharedUsage(
        redis,
        [
          `${prefix}runs`,
          `${prefix}runs:wf:bench-csat-crm`,
          `${prefix}runs:waiting`,
          `${bull}:delayed`,
          `${bull}:events`,
          `${bull}:completed`,
        ],
        runsWaiting,
      ),
    };
  } finally {
    standIns.use(null, null);
    await product.stop();
    await deleteKeys(redis, prefix);
  }
}

/** `used_memory` read twice a moment apart, the lower value (allocator noise of in-flight replies). */
async function settledMemory(redis: Redis): Promise<number> {
  const first = await usedMemory(redis);
  await new Promise((resolve) => setTimeout(resolve, 500));
  return Math.min(first, await usedMemory(redis));
}

async function keyUsage(redis: Redis, patterns: string[]): Promise<Record<string, number>> {
  const usage: Record<string, number> = {};
  for (const pattern of patterns) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 5000);
      cursor = next;
      for (const key of keys) usage[key] = Number(await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
    } while (cursor !== '0');
  }
  return usage;
}

async function sharedUsage(redis: Redis, keys: string[], runs: number): Promise<Record<string, number>> {
  const usage: Record<string, number> = {};
  for (const key of keys) {
    const bytes = Number(await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
    if (bytes > 0 && runs > 0) usage[key] = round(bytes / runs, 1);
  }
  return usage;
}
