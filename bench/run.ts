import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ApiClient } from './api-client.ts';
import { repoRoot } from './children.ts';
import { cpuMeter } from './cpu.ts';
import { measureWorkerCount } from './engine-phase.ts';
import { measureFloor } from './floor.ts';
import { drive, type LoadFigures, type LoadShape } from './load.ts';
import { describeMachine, loadAverage } from './machine.ts';
import { measureMemory } from './memory.ts';
import { parseOptions } from './options.ts';
import { startPlumbing } from './plumbing.ts';
import { generateSecrets, type Product, startProduct } from './product.ts';
import { type ProfileSummary, summarizeProfiles } from './profile-summary.ts';
import { deleteKeys, startRedis } from './redis.ts';
import {
  type BenchResults,
  formatTable,
  type PlumbingFigures,
  targetsOf,
  type WorkerCountFigures,
  writeResults,
} from './report.ts';
import { startStandIns } from './stand-ins.ts';
import { round } from './stats.ts';
import { type CommandTrace, traceCommands } from './trace.ts';
import { RunTracker } from './tracker.ts';
import { benchWorkflow, publishWorkflow } from './workflow.ts';

/**
 * `npm run bench`: the CSAT → CRM run through the real server and worker processes on one
 * machine, against the bare-BullMQ floor, at 1, 2 and 4 workers, then Redis bytes per waiting
 * run. Prints a table and writes bench/results/<timestamp>.json.
 */

/** Queue jobs a CSAT run takes: `start` (trigger → ask → pause) and `resume` (answer → CRM → thanks → end). */
const HOPS_PER_RUN = 2;
const PHASE_TIME_LIMIT_MS = 120_000;
/** Runs traced command by command (Redis MONITOR), apart from the timed measurements. */
const TRACE_RUNS = 100;

const options = parseOptions(process.argv.slice(2));
/** Runs before each timed measurement, unmeasured (JIT, connection pools). */
const WARMUP_RUNS = options.quick ? 50 : 200;
const began = Date.now();
const startedAt = new Date(began).toISOString();
const tag = began.toString(36);
const resultsDir = path.join(repoRoot, 'bench/results');
const profileRoot = options.profile ? path.join(resultsDir, `profiles-${startedAt.replace(/[:.]/g, '-')}`) : undefined;
const log = (line: string) => process.stdout.write(`${line}\n`);

const redis = await startRedis(options.redis);
const secrets = generateSecrets();
let question = '';
const standIns = await startStandIns({ webhookSecret: secrets.webhookSecret, question: () => question });
const workflow = await benchWorkflow(standIns.crmUrl);
question = workflow.question;
let product: Product | undefined;
const enginePrefix = `bench-${tag}:`;
try {
  const machine = await describeMachine(
    redis.client,
    redis.own ? 'own redis-server on loopback, no persistence' : redis.url,
  );
  if ((machine.loadAverageAtStart[0] ?? 0) > 0.5 * machine.cores) {
    log(
      `Warning: the 1-minute load average is ${machine.loadAverageAtStart[0]} on ${machine.cores} cores: other processes compete for the CPU and the figures will be low.`,
    );
  }
  log(`Bench on ${machine.cores} cores, Node ${machine.node}, Redis ${machine.redis} at ${redis.url}`);

  const measureWith = async (api: ApiClient, label: string, count: number, shape: LoadShape): Promise<LoadFigures> => {
    const tracker = new RunTracker(`${tag}-${label}`);
    standIns.use(tracker, api);
    try {
      return await drive(api, tracker, {
        count,
        shape,
        timeLimitMs: PHASE_TIME_LIMIT_MS,
        runDeadlineMs: options.runDeadlineMs,
      });
    } finally {
      standIns.use(null, null);
    }
  };
  const atMax: LoadShape = { kind: 'max', concurrency: options.concurrency };

  const baseCpu = { redis: machine.redisPid === null ? [] : [machine.redisPid], bench: [process.pid] };
  const floors = new Map<number, Awaited<ReturnType<typeof measureFloor>>>();
  if (!options.skipFloor) {
    for (const workers of options.workers) {
      log(`floor: ${workers} worker process(es), ${options.runs} chains of ${HOPS_PER_RUN} no-op jobs`);
      floors.set(
        workers,
        await measureFloor({
          redisUrl: redis.url,
          prefix: `bench-floor-${tag}-${workers}:`,
          workers,
          workerConcurrency: options.workerConcurrency,
          concurrency: options.concurrency,
          count: options.runs,
          warmup: WARMUP_RUNS,
          hops: HOPS_PER_RUN,
          timeLimitMs: PHASE_TIME_LIMIT_MS,
          chainDeadlineMs: options.runDeadlineMs,
          cpu: baseCpu,
        }),
      );
      log(`  ${floors.get(workers)?.chainsPerSecond} chains/s`);
    }
  }

  let plumbing: PlumbingFigures | null = null;
  if (!options.skipPlumbing) {
    log('plumbing: the same HTTP contract answered from memory (no queue, no Redis)');
    const server = await startPlumbing({
      secrets,
      channelWebhookUrl: standIns.webhookUrl,
      crmUrl: standIns.crmUrl,
      question,
    });
    try {
      await measureWith(server.api, 'plumbing-warmup', WARMUP_RUNS, atMax);
      const meter = cpuMeter({ bench: [process.pid], server: [server.pid] });
      const max = await measureWith(server.api, 'plumbing', options.runs, atMax);
      plumbing = { max, cpuMsPerRun: meter.perUnit(max.completed) };
      log(`  ${max.runsPerSecond} runs/s, ${max.errors} errors`);
    } finally {
      await server.stop();
    }
  }

  product = await startProduct({
    secrets,
    redisUrl: redis.url,
    prefix: enginePrefix,
    channelWebhookUrl: standIns.webhookUrl,
    logLevel: options.logLevel,
    workerConcurrency: options.workerConcurrency,
    ...(profileRoot ? { profileDir: profileRoot } : {}),
  });
  await publishWorkflow(product.api, workflow);
  const engineApi = product.api;
  const measure = (label: string, count: number, shape: LoadShape) => measureWith(engineApi, label, count, shape);

  const byWorkers: WorkerCountFigures[] = [];
  let commandTrace: CommandTrace | null = null;
  const extraRates: LoadFigures[] = [];
  for (const workers of options.workers) {
    log(`engine: ${workers} worker process(es)`);
    const figures = await measureWorkerCount({
      product,
      workers,
      redis,
      measure,
      runs: options.runs,
      warmup: WARMUP_RUNS,
      atMax,
      cpu: baseCpu,
      floor: floors.get(workers) ?? null,
      log,
    });
    byWorkers.push(figures);
    if (workers === options.workers[0]) {
      for (const perSecond of options.rates) {
        const atRate = await measure(`w${workers}-r${perSecond}`, Math.min(options.runs, perSecond * 20), {
          kind: 'rate',
          perSecond,
        });
        log(`  open loop ${perSecond}/s: ${atRate.runsPerSecond} runs/s, ${atRate.errors} errors`);
        extraRates.push(atRate);
      }
      let pass = 0;
      commandTrace = await traceCommands(redis.client, redis.url, enginePrefix, async () => {
        pass += 1;
        const traced = await measure(`w${workers}-trace${pass}`, TRACE_RUNS, { kind: 'max', concurrency: 8 });
        if (traced.completed !== TRACE_RUNS)
          log(`  (the command trace saw ${traced.completed} of ${TRACE_RUNS} runs complete)`);
        return traced.completed;
      });
      log(
        `  one full run: ${commandTrace.commandsPerRun} Redis commands, ${commandTrace.argBytesPerRun} bytes sent to Redis, ${commandTrace.usecPerRun} µs of Redis time`,
      );
      const byTime = commandTrace.commands
        .filter((command) => command.usecPerRun !== undefined)
        .sort((x, y) => (y.usecPerRun ?? 0) - (x.usecPerRun ?? 0));
      for (const command of byTime.slice(0, 20)) {
        log(`    ${command.usecPerRun} µs/run  ${command.perRun}×  ${command.what}  (${command.argBytes} B each)`);
      }
    }
  }
  await product.stop();
  product = undefined;
  await deleteKeys(redis.client, enginePrefix);

  const memory = options.skipMemory
    ? null
    : await measureMemory({
        redis: redis.client,
        redisUrl: redis.url,
        secrets,
        standIns,
        workflowFor: benchWorkflow,
        workers: Math.max(...options.workers),
        workerConcurrency: options.workerConcurrency,
        logLevel: options.logLevel,
        runs: options.memoryRuns,
        concurrency: options.concurrency,
        timeLimitMs: options.memoryTimeLimitS * 1000,
        progress: log,
      });

  const profiles: ProfileSummary[] = [];
  if (profileRoot && existsSync(profileRoot)) {
    for (const name of ['server', ...options.workers.map((workers) => `workers-${workers}`)]) {
      const dir = path.join(profileRoot, name);
      if (existsSync(dir)) profiles.push(await summarizeProfiles(dir));
    }
  }

  const partial = {
    startedAt,
    loadAverageAtEnd: loadAverage(),
    durationS: round((Date.now() - began) / 1000),
    machine,
    options,
    hopsPerRun: {
      processedJobs: HOPS_PER_RUN,
      note: 'the start job and the resume job; the 24 h reply timeout never fires in a full run',
    },
    plumbing,
    byWorkers,
    commandTrace,
    extraRates,
    memory,
    profiles,
  };
  const results: BenchResults = { ...partial, targets: targetsOf(partial) };
  const file = await writeResults(resultsDir, results);
  log(formatTable(results));
  log(`Figures written to ${path.relative(process.cwd(), file)}`);
} finally {
  await product?.stop();
  await standIns.close();
  if (!redis.own) await deleteKeys(redis.client, enginePrefix);
  await redis.close();
}

// Every child is stopped and every connection closed; a library timer left behind must not keep a finished bench alive.
process.exit(0);
