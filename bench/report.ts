import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FloorFigures } from './floor.ts';
import type { LoadFigures } from './load.ts';
import type { Machine } from './machine.ts';
import type { MemoryFigures } from './memory.ts';
import type { BenchOptions } from './options.ts';
import type { ProfileSummary } from './profile-summary.ts';
import type { CommandStat, SlowEntry } from './redis.ts';
import { round } from './stats.ts';
import type { CommandTrace } from './trace.ts';

export interface WorkerCountFigures {
  workers: number;
  max: LoadFigures;
  halfRate: LoadFigures | null;
  floor: FloorFigures | null;
  /** Engine full runs/s ÷ floor chains/s. */
  engineToFloor: number | null;
  /** CPU ms per full run during the max-throughput measurement: server, workers, Redis, the bench (load + stand-ins). */
  cpuMsPerRun: Record<string, number>;
  /** Runs/s that CPU per run allows with every core free (the figure a busy shared machine hides). */
  cpuCeilingRunsPerSecond: number;
  /** Redis during the max-throughput measurement (INFO commandstats), per completed run. */
  redisCallsPerRun: number;
  redisUsecPerRun: number;
  redisCommands: (CommandStat & { callsPerRun: number; usecPerRun: number })[];
  slowlog: SlowEntry[];
}

/** The HTTP contract answered from memory by `plumbing-server.ts`: the ceiling the HTTP around a run allows here. */
export interface PlumbingFigures {
  max: LoadFigures;
  cpuMsPerRun: Record<string, number>;
}

export interface BenchResults {
  startedAt: string;
  durationS: number;
  loadAverageAtEnd: number[];
  machine: Machine;
  options: BenchOptions;
  /** Queue jobs one CSAT run takes through the engine (what the floor chains). */
  hopsPerRun: { processedJobs: number; note: string };
  plumbing: PlumbingFigures | null;
  byWorkers: WorkerCountFigures[];
  /** Every Redis command of 100 full runs (MONITOR), per run. */
  commandTrace: CommandTrace | null;
  extraRates: LoadFigures[];
  memory: MemoryFigures | null;
  profiles: ProfileSummary[];
  targets: { name: string; target: string; measured: string; met: boolean }[];
}

export function targetsOf(results: Omit<BenchResults, 'targets'>): BenchResults['targets'] {
  // The latency target is judged at half the rate of the worker count that reached the highest rate.
  const fastest = results.byWorkers.reduce<WorkerCountFigures | undefined>(
    (top, entry) => (top === undefined || entry.max.runsPerSecond > top.max.runsPerSecond ? entry : top),
    undefined,
  );
  const best = fastest?.max.runsPerSecond ?? 0;
  const halfP99 = fastest?.halfRate?.eventToQuestionMs.p99;
  const errors = [
    ...results.byWorkers.flatMap((entry) => [entry.max, entry.halfRate ?? entry.max]),
    ...results.extraRates,
  ].reduce((sum, figures) => sum + figures.errors, 0);
  const targets = [
    { name: 'full runs/s (best worker count)', target: '≥ 500', measured: String(best), met: best >= 500 },
    {
      name: 'p99 event→question at half the max rate',
      target: '≤ 50 ms',
      measured: halfP99 === undefined ? 'not measured' : `${halfP99} ms (${fastest?.workers} worker(s))`,
      met: halfP99 !== undefined && halfP99 <= 50,
    },
    { name: 'errors', target: '0', measured: String(errors), met: errors === 0 },
  ];
  if (results.memory) {
    targets.push({
      name: 'Redis per waiting run',
      target: '≤ 1536 B',
      measured: `${results.memory.bytesPerWaitingRun} B`,
      met: results.memory.bytesPerWaitingRun <= 1536,
    });
  }
  return targets;
}

export function formatTable(results: BenchResults): string {
  const { machine, options } = results;
  const lines = [
    '',
    `Convoflow bench — ${machine.cores} cores (${machine.cpuModel}), Node ${machine.node}, Redis ${machine.redis} (${machine.redisSetup})`,
    `Load average at start ${machine.loadAverageAtStart.join(' ')}, at end ${results.loadAverageAtEnd.join(' ')}${
      Math.max(machine.loadAverageAtStart[0] ?? 0, results.loadAverageAtEnd[0] ?? 0) > machine.cores
        ? ' (above the core count: other processes were competing for the CPU)'
        : ''
    }`,
    `${options.runs} full runs per measurement, ${options.concurrency} in flight at max, WORKER_CONCURRENCY ${options.workerConcurrency}, LOG_LEVEL ${options.logLevel}`,
    '"plumbing only": the same HTTP contract answered from memory by one process, no queue, no Redis (the ceiling for the HTTP around a run here).',
    `One CSAT run = ${results.hopsPerRun.processedJobs} queue jobs (${results.hopsPerRun.note}); the floor chains that many no-op BullMQ jobs.`,
    '',
    row([
      'workers',
      'runs/s',
      'done',
      'errors',
      'event→question p50/p95/p99 ms',
      'reply→CRM p50/p95/p99 ms',
      'floor/s',
      'engine÷floor',
      'half rate',
      'its ev→q p99',
    ]),
    row(Array(10).fill('---')),
  ];
  const plumbing = results.plumbing;
  if (plumbing) {
    lines.push(
      row([
        'plumbing only',
        String(plumbing.max.runsPerSecond),
        `${plumbing.max.completed}/${plumbing.max.runs}`,
        String(plumbing.max.errors),
        triple(plumbing.max.eventToQuestionMs),
        triple(plumbing.max.replyToCrmMs),
        '-',
        '-',
        '-',
        '-',
      ]),
    );
  }
  for (const entry of results.byWorkers) {
    const { max, halfRate, floor } = entry;
    lines.push(
      row([
        String(entry.workers),
        String(max.runsPerSecond),
        `${max.completed}/${max.runs}`,
        String(max.errors + (halfRate?.errors ?? 0)),
        triple(max.eventToQuestionMs),
        triple(max.replyToCrmMs),
        floor ? String(floor.chainsPerSecond) : '-',
        entry.engineToFloor === null ? '-' : `${round(entry.engineToFloor * 100)}%`,
        halfRate && halfRate.shape.kind === 'rate'
          ? `${halfRate.shape.perSecond}/s → ${halfRate.runsPerSecond}/s`
          : '-',
        halfRate ? `${halfRate.eventToQuestionMs.p99}` : '-',
      ]),
    );
  }
  lines.push('', 'Cost per full run at max (CPU ms by process; Redis commands and time from INFO commandstats):');
  const ceiling = (cpu: Record<string, number>) => {
    const total = Object.values(cpu).reduce((sum, ms) => sum + ms, 0);
    return total > 0
      ? ` = ${round(total, 2)} ms, so at most ${Math.round((machine.cores * 1000) / total)} runs/s on ${machine.cores} idle cores`
      : '';
  };
  if (plumbing) {
    lines.push(
      `  plumbing only: CPU ms/run ${Object.entries(plumbing.cpuMsPerRun)
        .map(([name, ms]) => `${name} ${ms}`)
        .join(', ')}${ceiling(plumbing.cpuMsPerRun)}`,
    );
  }
  for (const entry of results.byWorkers) {
    const cpu = Object.entries(entry.cpuMsPerRun)
      .map(([name, ms]) => `${name} ${ms}`)
      .join(', ');
    const floorCpu = entry.floor
      ? Object.entries(entry.floor.cpuMsPerChain)
          .map(([name, ms]) => `${name} ${ms}`)
          .join(', ')
      : '-';
    lines.push(
      `  ${entry.workers} worker(s): CPU ms/run ${cpu}${ceiling(entry.cpuMsPerRun)}; Redis ${entry.redisCallsPerRun} calls/run, ${entry.redisUsecPerRun} µs/run; floor CPU ms/chain ${floorCpu}`,
    );
  }
  const top = results.byWorkers[0]?.redisCommands.slice(0, 6) ?? [];
  if (top.length) {
    lines.push(
      `  costliest Redis commands (${results.byWorkers[0]?.workers} worker): ${top.map((stat) => `${stat.command} ${stat.callsPerRun}×/run ${stat.usecPerRun} µs/run`).join('; ')}`,
    );
  }
  const trace = results.commandTrace;
  if (trace) {
    lines.push(
      `  one full run sends ${trace.commandsPerRun} Redis commands (${trace.argBytesPerRun} bytes; scripts run ${trace.commandsInScriptsPerRun} more); most frequent: ${trace.commands
        .filter((command) => !command.what.includes('(in script)'))
        .slice(0, 6)
        .map((command) => `${command.what} ×${command.perRun}`)
        .join('; ')}`,
    );
  }
  for (const extra of results.extraRates) {
    if (extra.shape.kind !== 'rate') continue;
    lines.push(
      `  open loop at ${extra.shape.perSecond}/s (${results.byWorkers[0]?.workers} worker): ${extra.runsPerSecond} runs/s, ` +
        `event→question ${triple(extra.eventToQuestionMs)} ms, reply→CRM ${triple(extra.replyToCrmMs)} ms, errors ${extra.errors}`,
    );
  }
  for (const profile of results.profiles) {
    lines.push(
      `  profile ${profile.dir.split('/').at(-1)} (${profile.idlePercent}% idle; self time in % of busy): ${profile.areas
        .slice(0, 8)
        .map((hotspot) => `${hotspot.where} ${hotspot.selfPercent}%`)
        .join(', ')}; functions: ${profile.functions
        .slice(0, 6)
        .map((hotspot) => `${hotspot.where} ${hotspot.selfPercent}%`)
        .join('; ')}`,
    );
  }
  const memory = results.memory;
  if (memory) {
    lines.push(
      '',
      `Redis per waiting run: ${memory.bytesPerWaitingRun} B (${memory.runsWaiting} runs waiting${memory.cutShort ? `, cut short by --memory-time: ${memory.runsRequested} asked` : ''}; ` +
        `used_memory ${mb(memory.usedMemoryBefore)} → ${mb(memory.usedMemoryAfter)} MB; ${memory.keysPerWaitingRun} keys per run; created at ${memory.eventsPerSecond} events/s)`,
    );
  }
  const samples = results.byWorkers.flatMap((entry) => [
    ...entry.max.errorSamples,
    ...(entry.halfRate?.errorSamples ?? []),
  ]);
  if (samples.length)
    lines.push('', 'Errors seen:', ...[...new Set(samples)].slice(0, 5).map((sample) => `  ${sample}`));
  lines.push('', 'Targets:');
  for (const target of results.targets) {
    lines.push(`  ${target.met ? 'met    ' : 'MISSED '} ${target.name}: ${target.measured} (target ${target.target})`);
  }
  return `${lines.join('\n')}\n`;
}

export async function writeResults(dir: string, results: BenchResults): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${results.startedAt.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

function triple(p: { p50: number; p95: number; p99: number }): string {
  return `${p.p50}/${p.p95}/${p.p99}`;
}

function mb(bytes: number): string {
  return String(round(bytes / 1_048_576, 1));
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}
