import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { FLOOR_QUEUE, floorJobOptions, parseFloorJob } from './floor-jobs.ts';

/**
 * A floor worker process: a BullMQ worker whose processor does nothing but add the chain's
 * next hop, the least any queue-driven engine must do per hop. Configured by the bench via env.
 */
const redisUrl = required('REDIS_URL');
const prefix = required('FLOOR_PREFIX');
const hops = Number(required('FLOOR_HOPS'));
const concurrency = Number(required('FLOOR_CONCURRENCY'));

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (the bench sets it)`);
  return value;
}

const queue = new Queue(FLOOR_QUEUE, { connection: new Redis(redisUrl, { maxRetriesPerRequest: 3 }), prefix });
const worker = new Worker(
  FLOOR_QUEUE,
  async (job) => {
    const { chain, hop } = parseFloorJob(job.data);
    if (hop < hops) await queue.add('hop', { chain, hop: hop + 1 }, floorJobOptions(chain, hop + 1));
  },
  { connection: new Redis(redisUrl, { maxRetriesPerRequest: null }), prefix, concurrency },
);
worker.on('error', (error) => process.stderr.write(`floor worker error: ${error.message}\n`));

await worker.waitUntilReady();
process.stdout.write('floor worker ready\n');

process.on('SIGTERM', () => {
  void worker
    .close()
    .then(() => queue.close())
    .then(() => process.exit(0));
});
