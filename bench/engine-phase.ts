import os from 'node:os';
import type { CpuGroups } from './cpu.ts';
import { cpuCeiling, cpuMeter } from './cpu.ts';
import type { FloorFigures } from './floor.ts';
import type { LoadFigures, LoadShape } from './load.ts';
import type { Product } from './product.ts';
import { type BenchRedis, type CommandStat, commandStats, resetStats, slowlog } from './redis.ts';
import type { WorkerCountFigures } from './report.ts';
import { round } from './stats.ts';

export type Measure = (label: string, count: number, shape: LoadShape) => Promise<LoadFigures>;

/**
 * The engine with `workers` worker processes: a warm-up, the max-throughput measurement (with
 * CPU per process and Redis commandstats around it), then an open loop at half that rate.
 */
export async function measureWorkerCount(options: {
  product: Product;
  workers: number;
  redis: BenchRedis;
  measure: Measure;
  runs: number;
  warmup: number;
  atMax: LoadShape;
  cpu: CpuGroups;
  floor: FloorFigures | null;
  log: (line: string) => void;
}): Promise<WorkerCountFigures> {
  const { product, workers, redis, measure, runs, log } = options;
  await product.setWorkers(workers);
  await measure(`w${workers}-warmup`, options.warmup, options.atMax);
  await resetStats(redis.client);
  const meter = cpuMeter({ ...options.cpu, server: [product.serverPid], workers: product.workerPids() });
  const max = await measure(`w${workers}-max`, runs, options.atMax);
  const cpuMsPerRun = meter.perUnit(max.completed);
  const redisCommands = perRun(await commandStats(redis.client), max.completed);
  const slow = redis.own ? await slowlog(redis.client, 10) : [];
  log(`  max: ${max.runsPerSecond} runs/s, ${max.completed}/${max.runs} done, ${max.errors} errors`);

  let halfRate: LoadFigures | null = null;
  if (max.runsPerSecond > 0) {
    const perSecond = Math.max(1, Math.round(max.runsPerSecond / 2));
    halfRate = await measure(`w${workers}-half`, Math.min(runs, perSecond * 20), { kind: 'rate', perSecond });
    log(
      `  half rate ${perSecond}/s: event→question p99 ${halfRate.eventToQuestionMs.p99} ms, ${halfRate.errors} errors`,
    );
  }
  const floor = options.floor;
  const sum = (pick: (stat: PerRunStat) => number) =>
    round(
      redisCommands.reduce((total, stat) => total + pick(stat), 0),
      1,
    );
  return {
    workers,
    max,
    halfRate,
    floor,
    engineToFloor: floor && floor.chainsPerSecond > 0 ? round(max.runsPerSecond / floor.chainsPerSecond, 3) : null,
    cpuMsPerRun,
    cpuCeilingRunsPerSecond: cpuCeiling(cpuMsPerRun, os.cpus().length),
    redisCallsPerRun: sum((stat) => stat.callsPerRun),
    redisUsecPerRun: sum((stat) => stat.usecPerRun),
    redisCommands: redisCommands.slice(0, 12),
    slowlog: slow,
  };
}

type PerRunStat = CommandStat & { callsPerRun: number; usecPerRun: number };

/** Each command's calls and time divided by the runs completed meanwhile. */
function perRun(stats: CommandStat[], runs: number): PerRunStat[] {
  return stats.map((stat) => ({
    ...stat,
    callsPerRun: runs > 0 ? round(stat.calls / runs, 2) : 0,
    usecPerRun: runs > 0 ? round(stat.usec / runs, 1) : 0,
  }));
}
