import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';

/**
 * A dedicated `redis-server` child on 127.0.0.1 and a free port, with AOF fsynced on every write,
 * its data in a temp dir: a Redis this test may kill and restart without touching the shared one.
 */
export interface RedisServer {
  url: string;
  port: number;
  dir: string;
  /** SIGKILL, as a crash: only what AOF fsynced survives. Resolves once the process is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port and dir (it replays the AOF), resolves once it answers PING. */
  restart(): Promise<void>;
  /** Stops it and deletes its dir. */
  close(): Promise<void>;
}

export interface RedisServerOptions {
  /** More `redis-server` arguments, after (so overriding) the defaults, e.g. `['--appendonly', 'no']`. */
  args?: string[];
  /** The `requirepass` of the default user; `url` then carries it. */
  password?: string;
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'convoflow-faults-redis-'));
  const port = await freePort();
  const auth = options.password === undefined ? '' : `:${encodeURIComponent(options.password)}@`;
  const url = `redis://${auth}127.0.0.1:${port}`;
  let child: ChildProcess | null = null;

  const launch = async () => {
    const started = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
        '--maxmemory-policy',
        'noeviction',
        ...(options.password === undefined ? [] : ['--requirepass', options.password]),
        ...(options.args ?? []),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    if (started.pid === undefined) {
      const [error] = await once(started, 'error');
      throw new Error(
        `redis-server could not be started (${error instanceof Error ? error.message : String(error)}): install it, e.g. "apt-get install redis-server".`,
      );
    }
    let output = '';
    started.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      output = (output + chunk).slice(-4000);
    });
    started.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      output = (output + chunk).slice(-4000);
    });
    child = started;
    await waitUntilAnswering(url, started, () => output);
  };

  const kill = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGKILL');
    await gone;
  };

  await launch();
  return {
    url,
    port,
    dir,
    kill,
    restart: launch,
    close: async () => {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function waitUntilAnswering(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode}):\n${output()}`);
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => {});
    try {
      await probe.connect();
      // While replaying the AOF, Redis answers LOADING: only a PONG means it serves.
      if ((await probe.ping()) === 'PONG') return;
    } catch {
      // not listening or still loading
    } finally {
      probe.disconnect();
    }
    if (Date.now() > deadline) throw new Error(`redis-server on ${url} did not answer PING within 15 s:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A TCP port nothing listens on right now (the kernel's pick for an ephemeral listen). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port was assigned');
  return address.port;
}
