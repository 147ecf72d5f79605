import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

export type Entry = 'standalone' | 'server' | 'worker';

/**
 * How an entry point runs: its TypeScript sources through tsx (development), or the compiled
 * `workers/dist/` (`npm run build:server`) with plain node, as `npm start` and the image run it.
 */
export type Build = 'sources' | 'compiled';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnedProcess {
  child: ChildProcess;
  pid: number;
  /** Everything printed so far. */
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves with the matched text once stdout or stderr shows `pattern`; rejects if the process exits first. */
  waitForOutput(pattern: RegExp, options?: { timeoutMs?: number }): Promise<RegExpMatchArray>;
  exited: Promise<Exit>;
  kill(signal?: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL if it has not exited within `timeoutMs`; resolves on exit. */
  stop(options?: { timeoutMs?: number }): Promise<Exit>;
}

/**
 * Runs a real process entry point (`workers/src/<entry>.ts` as `node --import tsx`, or its
 * compiled `workers/dist/<entry>.js`): one OS process, so a SIGKILL kills the worker itself, not
 * a launcher in front of it. `env` is the whole environment beyond PATH and HOME, so the test
 * decides every variable.
 */
export function spawnEntry(entry: Entry, env: Record<string, string>, options: { build?: Build } = {}): SpawnedProcess {
  const child = spawn(process.execPath, nodeArguments(entry, options.build ?? 'sources'), {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${entry}`);
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    notify();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    notify();
  });
  let exit: Exit | undefined;
  const exited = new Promise<Exit>((resolve) => {
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // Output still buffered in the pipes arrives before 'close'.
      child.on('close', () => {
        notify();
        resolve({ code, signal });
      });
    });
  });

  const waitForOutput = (pattern: RegExp, options: { timeoutMs?: number } = {}) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? 60_000;
      const check = () => {
        const match = stdout.match(pattern) ?? stderr.match(pattern);
        if (match) finish(() => resolve(match));
        else if (exit) {
          const exitText = describeExit(exit);
          finish(() => reject(new Error(`${entry} exited (${exitText}) before printing ${pattern}\n${stderr}`)));
        }
      };
      const timer = setTimeout(
        () =>
          finish(() =>
            reject(new Error(`${entry} did not print ${pattern} within ${timeoutMs} ms\n${stdout}\n${stderr}`)),
          ),
        timeoutMs,
      );
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        listeners.delete(check);
        settle();
      };
      listeners.add(check);
      check();
    });

  return {
    child,
    pid: child.pid,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    waitForOutput,
    exited,
    kill: (signal = 'SIGTERM') => {
      if (!exit) child.kill(signal);
    },
    stop: async ({ timeoutMs = 20_000 } = {}) => {
      if (exit) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/** A worker process joining the install described by `env` (e.g. `product.processEnv()`), started and taking jobs. */
export async function spawnWorkerProcess(env: Record<string, string>): Promise<SpawnedProcess> {
  const worker = spawnEntry('worker', env);
  await worker.waitForOutput(/Convoflow worker is running/);
  return worker;
}

/** The same command lines as package.json's start scripts (compiled) and development (sources). */
function nodeArguments(entry: Entry, build: Build): string[] {
  return build === 'compiled'
    ? ['--conditions=convoflow-dist', path.join('workers/dist', `${entry}.js`)]
    : ['--import', 'tsx', path.join('workers/src', `${entry}.ts`)];
}

function describeExit(exit: Exit): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}
