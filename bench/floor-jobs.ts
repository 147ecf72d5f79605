import type { JobsOptions } from 'bullmq';

/** The bare-BullMQ floor's queue: chains of no-op jobs, each adding the next hop. */
export const FLOOR_QUEUE = 'floor';

export interface FloorJob {
  chain: string;
  hop: number;
}

/** Retries as the engine's run queue has them (`engine/src/runtime/queue.ts`); completed jobs removed, the lean setting. */
export function floorJobOptions(chain: string, hop: number): JobsOptions {
  return {
    jobId: floorJobId(chain, hop),
    attempts: 5,
    backoff: { type: 'exponential', delay: 2_000 },
    removeOnComplete: true,
    removeOnFail: { count: 1_000, age: 7 * 86_400 },
  };
}

export const floorJobId = (chain: string, hop: number) => `${chain}-h${hop}`;

export function parseFloorJob(data: unknown): FloorJob {
  if (typeof data === 'object' && data !== null && 'chain' in data && 'hop' in data) {
    const { chain, hop } = data;
    if (typeof chain === 'string' && typeof hop === 'number') return { chain, hop };
  }
  throw new Error(`Not a floor job: ${JSON.stringify(data)}`);
}
