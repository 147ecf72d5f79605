import { readFileSync } from 'node:fs';
import { round } from './stats.ts';

/** Linux reports process CPU times in clock ticks of 1/100 s (USER_HZ) on every mainstream kernel. */
const TICKS_PER_SECOND = 100;

/** User + system CPU time a process has used so far, in ms (this process included, by pid). */
export function cpuTimeMs(pid: number): number {
  if (pid === process.pid) {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at "state": utime and stime are 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

export type CpuGroups = Record<string, number[]>;

/** CPU used per group of processes between `start()` and `perUnit(units)`, in ms per unit (a run, a chain). */
export function cpuMeter(groups: CpuGroups): { perUnit(units: number): Record<string, number> } {
  const total = (pids: number[]) => pids.reduce((sum, pid) => sum + cpuTimeMs(pid), 0);
  const before = Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, total(pids)]));
  return {
    perUnit: (units) =>
      Object.fromEntries(
        Object.entries(groups).map(([name, pids]) => [
          name,
          units > 0 ? round((total(pids) - (before[name] ?? 0)) / units, 3) : 0,
        ]),
      ),
  };
}

/** Runs/s the measured CPU per run allows when the processes have every core to themselves. */
export function cpuCeiling(cpuMsPerRun: Record<string, number>, cores: number): number {
  const total = Object.values(cpuMsPerRun).reduce((sum, ms) => sum + ms, 0);
  return total > 0 ? Math.round((cores * 1000) / total) : 0;
}
