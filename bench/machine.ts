import os from 'node:os';
import type { Redis } from 'ioredis';
import { info } from './redis.ts';
import { round } from './stats.ts';

export interface Machine {
  cores: number;
  cpuModel: string;
  memoryGb: number;
  os: string;
  node: string;
  redis: string;
  redisPid: number | null;
  /** `own` private redis-server without persistence, or the URL used. */
  redisSetup: string;
  /** 1, 5 and 15-minute load averages when the bench began: above the core count, others were competing. */
  loadAverageAtStart: number[];
}

export async function describeMachine(redis: Redis, redisSetup: string): Promise<Machine> {
  const server = await info(redis, 'server');
  const cpus = os.cpus();
  const pid = Number(server.process_id);
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGb: round(os.totalmem() / 1024 ** 3, 1),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    redis: server.redis_version ?? 'unknown',
    redisPid: Number.isInteger(pid) && pid > 0 ? pid : null,
    redisSetup,
    loadAverageAtStart: loadAverage(),
  };
}

export const loadAverage = () => os.loadavg().map((load) => round(load, 2));
