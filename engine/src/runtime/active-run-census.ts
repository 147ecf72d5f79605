import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RuntimeKeys } from './keys.ts';
import { finalStatuses } from './run-state.ts';
import type { RunStore } from './run-store.ts';

const CENSUS_LOCK_S = 300;

/**
 * Counts each workflow's active runs once per install, for runs enrolled before the count was
 * kept as runs start and end: without it, deleting a workflow would not see them (and delete
 * the versions they run on), and their end would take one off another run's count. Every
 * active published run holds its conversation's "one active run" claim, so the claims are the
 * census. Runs on: the first start after the upgrade, before this process serves or works.
 */
export async function takeActiveRunCensus(
  redis: Redis,
  keys: RuntimeKeys,
  store: RunStore,
  countKey: string,
  logger: Logger,
): Promise<void> {
  if ((await redis.exists(keys.activeRunCensus())) === 1) return;
  const lock = keys.activeRunCensusLock();
  if ((await redis.set(lock, String(process.pid), 'EX', CENSUS_LOCK_S, 'NX')) !== 'OK') return;
  try {
    const counts = new Map<string, number>();
    let cursor = '0';
    do {
      const [next, claims] = await redis.scan(
        cursor,
        'MATCH',
        `${keys.activeClaim('', '').slice(0, -1)}*`,
        'COUNT',
        1000,
      );
      cursor = next;
      if (claims.length === 0) continue;
      const runIds = (await redis.mget(claims)).filter((id): id is string => id !== null);
      for (const run of await store.getMany([...new Set(runIds)])) {
        if (run.test || finalStatuses.has(run.status)) continue;
        counts.set(run.workflowId, (counts.get(run.workflowId) ?? 0) + 1);
      }
    } while (cursor !== '0');
    const write = redis.multi().del(countKey);
    if (counts.size > 0) write.hset(countKey, Object.fromEntries(counts));
    await write.set(keys.activeRunCensus(), String(Date.now())).exec();
    if (counts.size > 0) {
      const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
      logger.info(
        { workflows: counts.size, runs: total },
        'counted the active runs of each workflow (once, after upgrading)',
      );
    }
  } finally {
    await redis.del(lock);
  }
}
