import { parseArgs } from 'node:util';

/** What one `npm run bench` does; every loop it drives is bounded by these counts and times. */
export interface BenchOptions {
  /** Full runs per throughput measurement (and per half-rate latency measurement). */
  runs: number;
  /** Worker process counts to measure, in order. */
  workers: number[];
  /** Full runs in flight at once in the max-throughput measurement. */
  concurrency: number;
  /** WORKER_CONCURRENCY of each worker process. */
  workerConcurrency: number;
  /** Extra open-loop rates (runs/s) measured with the first worker count, besides half the max. */
  rates: number[];
  skipMemory: boolean;
  /** Runs left waiting for a reply in the memory measurement, and the time allowed to create them. */
  memoryRuns: number;
  memoryTimeLimitS: number;
  skipFloor: boolean;
  /** Skip the HTTP-plumbing-only reference. */
  skipPlumbing: boolean;
  /** `own`: a private redis-server on a free loopback port (clean memory figures); else a redis:// URL. */
  redis: 'own' | string;
  /** Record CPU profiles of the server and worker processes (`node --cpu-prof`) next to the results. */
  profile: boolean;
  /** LOG_LEVEL of the product processes. */
  logLevel: string;
  /** A run not completed this long after its event counts as an error. */
  runDeadlineMs: number;
  quick: boolean;
}

const usage = `Usage: npm run bench -- [options]
  --runs N               full runs per measurement (default 3000; --quick 300)
  --workers 1,2,4        worker process counts to measure (default 1,2,4; --quick 1,2)
  --concurrency N        runs in flight in the max-throughput measurement (default 64)
  --worker-concurrency N WORKER_CONCURRENCY of each worker (default 50)
  --rates 100,200        extra open-loop rates in runs/s (default none)
  --skip-memory          skip the Redis-memory-per-waiting-run measurement
  --memory-runs N        runs left waiting in the memory measurement (default 100000; --quick 1000)
  --memory-time S        time allowed to create them, seconds (default 240; --quick 15)
  --skip-floor           skip the bare-BullMQ floor
  --skip-plumbing        skip the HTTP-only reference (the contract answered from memory)
  --redis own|URL        own: a private redis-server on loopback (default); or redis://127.0.0.1:6379/9
  --profile              write --cpu-prof profiles of the server and workers next to the results
  --log-level L          LOG_LEVEL of the product processes (default warn)
  --quick                a smoke run in under a minute
  --help`;

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string' },
      workers: { type: 'string' },
      concurrency: { type: 'string' },
      'worker-concurrency': { type: 'string' },
      rates: { type: 'string' },
      'skip-memory': { type: 'boolean', default: false },
      'memory-runs': { type: 'string' },
      'memory-time': { type: 'string' },
      'skip-floor': { type: 'boolean', default: false },
      'skip-plumbing': { type: 'boolean', default: false },
      redis: { type: 'string', default: 'own' },
      profile: { type: 'boolean', default: false },
      'log-level': { type: 'string', default: 'warn' },
      quick: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const quick = values.quick;
  const redis = values.redis;
  if (redis !== 'own' && !/^redis:\/\/(127\.0\.0\.1|localhost)(:\d+)?(\/\d+)?$/.test(redis)) {
    throw new Error(`--redis must be "own" or a loopback URL such as redis://127.0.0.1:6379/9 (got "${redis}")`);
  }
  return {
    runs: positive('--runs', values.runs, quick ? 300 : 3000),
    workers: list('--workers', values.workers, quick ? [1, 2] : [1, 2, 4]),
    concurrency: positive('--concurrency', values.concurrency, 64),
    workerConcurrency: positive('--worker-concurrency', values['worker-concurrency'], 50),
    rates: values.rates === undefined ? [] : list('--rates', values.rates, []),
    skipMemory: values['skip-memory'],
    memoryRuns: positive('--memory-runs', values['memory-runs'], quick ? 1000 : 100_000),
    memoryTimeLimitS: positive('--memory-time', values['memory-time'], quick ? 15 : 240),
    skipFloor: values['skip-floor'],
    skipPlumbing: values['skip-plumbing'],
    redis,
    profile: values.profile,
    logLevel: values['log-level'],
    runDeadlineMs: 30_000,
    quick,
  };
}

function positive(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} must be a whole number ≥ 1 (got "${text}")`);
  return value;
}

function list(flag: string, text: string | undefined, fallback: number[]): number[] {
  if (text === undefined) return fallback;
  return text.split(',').map((part) => positive(flag, part.trim(), 0));
}
