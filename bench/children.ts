import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '..');

export interface Child {
  name: string;
  pid: number;
  /** Resolves once stdout or stderr shows `pattern`; rejects if the process exits first or on timeout. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Last lines printed, for error messages. */
  tail(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves on exit. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Map<number, { child: ChildProcess; stopLast: boolean }>();
let hooked = false;

/**
 * Starts a child process that the bench owns: whatever happens (normal end, error, Ctrl-C), it
 * is killed before the bench exits, so no server, worker or Redis outlives a bench.
 */
export function spawnChild(
  name: string,
  command: string,
  args: string[],
  env: Record<string, string>,
  /** Stopped after the others on Ctrl-C (Redis: the product processes still talk to it while they drain). */
  stopLast = false,
): Child {
  hookExit();
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`Could not start ${name} (${command})`);
  running.set(pid, { child, stopLast });
  let output = '';
  const listeners = new Set<() => void>();
  const append = (chunk: string) => {
    // Only the tail matters (error messages); the product logs at warn, so this stays small.
    output = (output + chunk).slice(-20_000);
    for (const listener of listeners) listener();
  };
  child.stdout.setEncoding('utf8').on('data', append);
  child.stderr.setEncoding('utf8').on('data', append);
  let exitCode: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exitCode = signal ?? String(code);
      running.delete(pid);
      for (const listener of listeners) listener();
      resolve();
    });
  });

  return {
    name,
    pid,
    tail: () => output.split('\n').slice(-15).join('\n'),
    waitForOutput: (pattern, timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        const finish = (error?: Error) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (error) reject(error);
          else resolve();
        };
        const check = () => {
          if (pattern.test(output)) finish();
          else if (exitCode !== undefined)
            finish(new Error(`${name} exited (${exitCode}) before printing ${pattern}:\n${output.slice(-3000)}`));
        };
        const timer = setTimeout(
          () => finish(new Error(`${name} did not print ${pattern} within ${timeoutMs} ms:\n${output.slice(-3000)}`)),
          timeoutMs,
        );
        listeners.add(check);
        check();
      }),
    stop: async (graceMs = 10_000) => {
      if (exitCode !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Node running a TypeScript entry point in one OS process (a signal reaches the program itself). */
export function spawnTs(name: string, entry: string, env: Record<string, string>, nodeFlags: string[] = []): Child {
  return spawnChild(name, process.execPath, [...nodeFlags, '--import', 'tsx', entry], env);
}

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const { child } of running.values()) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping the bench and its ${running.size} child processes\n`);
      // Whatever was in flight now fails against stopped processes: those errors are expected, not news.
      process.on('uncaughtException', () => {});
      process.on('unhandledRejection', () => {});
      const stop = (last: boolean) => {
        for (const { child, stopLast } of running.values()) if (stopLast === last) child.kill('SIGTERM');
      };
      stop(false);
      setTimeout(() => process.exit(130), 8_000).unref();
      const poll = setInterval(() => {
        const remaining = [...running.values()];
        if (remaining.every(({ stopLast }) => stopLast)) stop(true);
        if (remaining.length === 0) process.exit(130);
      }, 50);
      poll.unref();
    });
  }
}
