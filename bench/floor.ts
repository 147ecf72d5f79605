import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { type Child, spawnTs } from './children.ts';
import { type CpuGroups, cpuMeter } from './cpu.ts';
import { FLOOR_QUEUE, floorJobId, floorJobOptions } from './floor-jobs.ts';
import { deleteKeys } from './redis.ts';
import { type Percentiles, percentiles, round } from './stats.ts';
import { now } from './tracker.ts';

export interface FloorFigures {
  workers: number;
  hops: number;
  chains: number;
  completed: number;
  errors: number;
  elapsedS: number;
  chainsPerSecond: number;
  /** First job added → last hop completed. */
  chainMs: Percentiles;
  /** CPU ms per chain: floor workers, Redis, the bench process. */
  cpuMsPerChain: Record<string, number>;
}

/**
 * The bare-queue floor: `count` chains of `hops` no-op BullMQ jobs through `workers` worker
 * processes on the same Redis, `concurrency` chains in flight, like the engine's max-throughput
 * measurement. Completions are observed on the queue's event stream.
 */
export async function measureFloor(options: {
  redisUrl: string;
  prefix: string;
  workers: number;
  workerConcurrency: number;
  concurrency: number;
  count: number;
  /** Chains run first, unmeasured (JIT, connection pools). */
  warmup: number;
  hops: number;
  timeLimitMs: number;
  chainDeadlineMs: number;
  /** Processes besides the floor workers whose CPU is metered (Redis, the bench). */
  cpu: CpuGroups;
}): Promise<FloorFigures> {
  const { redisUrl, prefix, hops, count } = options;
  const env = {
    REDIS_URL: redisUrl,
    FLOOR_PREFIX: prefix,
    FLOOR_HOPS: String(hops),
    FLOOR_CONCURRENCY: String(options.workerConcurrency),
  };
  const workers: Child[] = Array.from({ length: options.workers }, (_, i) =>
    spawnTs(`floor-worker-${i + 1}`, 'bench/floor-worker.ts', env),
  );
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  connection.on('error', () => {});
  const queue = new Queue(FLOOR_QUEUE, { connection, prefix });
  // BullMQ duplicates a connection it blocks on and leaves the one given open: closed below.
  const eventsConnection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  eventsConnection.on('error', () => {});
  const events = new QueueEvents(FLOOR_QUEUE, { connection: eventsConnection, prefix });
  try {
    await Promise.all(workers.map((worker) => worker.waitForOutput(/floor worker ready/, 60_000)));
    await events.waitUntilReady();
    const waiting = new Map<string, () => void>();
    let errors = 0;
    events.on('completed', ({ jobId }) => {
      waiting.get(jobId)?.();
      waiting.delete(jobId);
    });
    events.on('failed', () => errors++);

    let chainNumber = 0;
    /** `total` chains, `concurrency` in flight; the durations of those that completed. */
    const runChains = async (total: number) => {
      const durations: number[] = [];
      const startedAt = now();
      let last = startedAt;
      let started = 0;
      const slot = async () => {
        while (started < total && now() < startedAt + options.timeLimitMs) {
          started++;
          const chain = `c${chainNumber++}`;
          const sent = now();
          const done = new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(false), options.chainDeadlineMs);
            waiting.set(floorJobId(chain, hops), () => {
              clearTimeout(timer);
              resolve(true);
            });
          });
          await queue.add('hop', { chain, hop: 1 }, floorJobOptions(chain, 1));
          if (await done) {
            last = now();
            durations.push(last - sent);
          } else errors++;
        }
      };
      await Promise.all(Array.from({ length: options.concurrency }, slot));
      return { durations, started, startedAt, last };
    };
    await runChains(options.warmup);
    errors = 0;
    const meter = cpuMeter({ ...options.cpu, floorWorkers: workers.map((worker) => worker.pid) });
    const { durations, started, startedAt, last } = await runChains(count);
    const cpuMsPerChain = meter.perUnit(durations.length);
    const elapsedS = (last - startedAt) / 1000;
    return {
      workers: options.workers,
      hops,
      chains: started,
      completed: durations.length,
      errors,
      elapsedS: round(elapsedS, 2),
      chainsPerSecond: elapsedS > 0 ? round(durations.length / elapsedS) : 0,
      chainMs: percentiles(durations),
      cpuMsPerChain,
    };
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
    await events.close();
    await queue.close();
    await deleteKeys(connection, prefix);
    connection.disconnect();
    eventsConnection.disconnect();
  }
}
