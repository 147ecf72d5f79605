import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { connect, type Socket } from 'node:net';
import type { Redis } from 'ioredis';
import { round } from './stats.ts';

export interface TracedCommand {
  /** Command, with the script's name for BullMQ scripts and the first key's shape (ids as *). */
  what: string;
  perRun: number;
  /** Redis execution time per run (SLOWLOG at threshold 0), for commands sent by clients. */
  usecPerRun?: number;
  /** Average bytes of arguments sent per call (payload shipped to Redis); 0 for commands run inside scripts. */
  argBytes: number;
}

export interface CommandTrace {
  runs: number;
  /** Commands sent by the product's processes (a script call counts once). */
  commandsPerRun: number;
  /** Commands the Lua scripts ran on top. */
  commandsInScriptsPerRun: number;
  /** Redis execution time of the client commands, per run. */
  usecPerRun: number;
  argBytesPerRun: number;
  commands: TracedCommand[];
}

/**
 * Every command Redis receives while `work` runs (Redis MONITOR), grouped by what it does and
 * divided by `runs`: which commands a full run costs, and how many bytes it ships. MONITOR
 * slows Redis down, so this runs apart from the timed measurements. Redis time per command
 * comes from the slow log, set to log every command meanwhile (then restored).
 */
export async function traceCommands(
  redis: Redis,
  redisUrl: string,
  prefix: string,
  /** Drives some full runs and resolves with how many completed; called twice (counts, then timings). */
  work: () => Promise<number>,
): Promise<CommandTrace> {
  const scriptNames = bullmqScriptNames();
  const groups = new Map<string, { calls: number; bytes: number }>();
  const monitor = await openMonitor(redisUrl, (source, words) => {
    const described = describe(words, prefix, scriptNames);
    if (described === null) return;
    // Commands a Lua script runs show up too, from source "lua": they cost Redis time, not network bytes.
    const inScript = source === 'lua';
    const what = inScript ? `  (in script) ${described}` : described;
    const group = groups.get(what) ?? { calls: 0, bytes: 0 };
    group.calls += 1;
    if (!inScript) group.bytes += words.reduce((sum, word) => sum + Buffer.byteLength(word), 0);
    groups.set(what, group);
  });
  let runs: number;
  try {
    runs = await work();
    // MONITOR lines trail the replies a little.
    await new Promise((resolve) => setTimeout(resolve, 300));
  } finally {
    monitor.destroy();
  }
  // Apart from MONITOR, which feeds every command a script runs to its clients and so slows scripts down.
  const { timings, runs: timedRuns } = await timeCommands(redis, prefix, scriptNames, work);

  const commands = [...groups.entries()]
    .map(([what, { calls, bytes }]) => ({
      what,
      perRun: round(calls / Math.max(1, runs), 2),
      argBytes: Math.round(bytes / calls),
      ...(timings.has(what) ? { usecPerRun: round((timings.get(what) ?? 0) / Math.max(1, timedRuns), 1) } : {}),
    }))
    .sort((a, b) => b.perRun - a.perRun);
  const sent = commands.filter((command) => !command.what.includes('(in script)'));
  const sum = (list: TracedCommand[], pick: (command: TracedCommand) => number) =>
    list.reduce((total, command) => total + pick(command), 0);
  return {
    runs,
    commandsPerRun: round(
      sum(sent, (command) => command.perRun),
      1,
    ),
    commandsInScriptsPerRun: round(
      sum(commands, (command) => command.perRun) - sum(sent, (command) => command.perRun),
      1,
    ),
    usecPerRun: round(
      sum(sent, (command) => command.usecPerRun ?? 0),
      1,
    ),
    argBytesPerRun: Math.round(sum(commands, (command) => command.perRun * command.argBytes)),
    commands,
  };
}

/** Redis execution time by command while `work` runs, from a slow log logging every command (then restored). */
async function timeCommands(
  redis: Redis,
  prefix: string,
  scriptNames: Map<string, string>,
  work: () => Promise<number>,
): Promise<{ timings: Map<string, number>; runs: number }> {
  const [threshold, maxLen] = await Promise.all([
    slowlogConfig(redis, 'slowlog-log-slower-than'),
    slowlogConfig(redis, 'slowlog-max-len'),
  ]);
  await redis.config('SET', 'slowlog-max-len', '200000');
  await redis.call('SLOWLOG', 'RESET');
  await redis.config('SET', 'slowlog-log-slower-than', '0');
  const timings = new Map<string, number>();
  let runs = 0;
  try {
    runs = await work();
  } finally {
    await redis.config('SET', 'slowlog-log-slower-than', threshold);
    const entries = await redis.call('SLOWLOG', 'GET', '-1');
    await redis.config('SET', 'slowlog-max-len', maxLen);
    await redis.call('SLOWLOG', 'RESET');
    if (Array.isArray(entries)) {
      for (const entry of entries) {
        if (!Array.isArray(entry) || !Array.isArray(entry[3])) continue;
        const what = describe(entry[3].map(String), prefix, scriptNames);
        if (what !== null) timings.set(what, (timings.get(what) ?? 0) + Number(entry[2]));
      }
    }
  }
  return { timings, runs };
}

/** Null for commands outside the traced install (the bench's own, other prefixes). */
function describe(words: string[], prefix: string, scriptNames: Map<string, string>): string | null {
  const command = (words[0] ?? '').toUpperCase();
  if (command === 'EVALSHA' || command === 'EVAL') {
    const keyCount = Number(words[2]);
    const firstKey = words[3] ?? '';
    if (!firstKey.startsWith(prefix)) return null;
    const sha = command === 'EVAL' ? sha1(words[1] ?? '') : (words[1] ?? '');
    const name = scriptNames.get(sha) ?? `script ${sha.slice(0, 8)}`;
    return `${name} [${shape(firstKey, prefix)}${keyCount > 1 ? ` +${keyCount - 1} keys` : ''}]`;
  }
  const key = words[1] ?? '';
  if (!key.startsWith(prefix)) return null;
  return `${command} ${shape(key, prefix)}`;
}

/** `bench-x:run:Ab3…:steps` → `run:*:steps`: ids and generated names replaced by `*`. */
function shape(key: string, prefix: string): string {
  return key
    .slice(prefix.length)
    .replace(/(conv|contact|evt|reply-evt|start|resume|timeout)-[^:|]+/g, '$1-*')
    .replace(/[A-Za-z0-9_-]{16,}/g, '*')
    .replace(/:\d+$/, ':<n>');
}

/** BullMQ's Lua scripts by the SHA1 ioredis runs them under. */
function bullmqScriptNames(): Map<string, string> {
  const scripts: unknown = createRequire(import.meta.url)('bullmq/dist/cjs/scripts/index.js');
  const names = new Map<string, string>();
  if (typeof scripts !== 'object' || scripts === null) return names;
  for (const script of Object.values(scripts)) {
    if (typeof script === 'object' && script !== null && 'name' in script && 'content' in script) {
      const { name, content } = script;
      if (typeof name === 'string' && typeof content === 'string') names.set(sha1(content), `bullmq ${name}`);
    }
  }
  return names;
}

async function slowlogConfig(redis: Redis, name: string): Promise<string> {
  const reply = await redis.config('GET', name);
  return Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : '10000';
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/**
 * A raw MONITOR connection: each line is `+<time> [<db> <source>] "<command>" "<arg>"…`. Read
 * from a plain socket because a monitoring ioredis client trips over replies arriving before
 * its MONITOR is acknowledged.
 */
async function openMonitor(redisUrl: string, onCommand: (source: string, words: string[]) => void): Promise<Socket> {
  const url = new URL(redisUrl);
  const socket = connect({ host: url.hostname, port: Number(url.port || 6379) });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => {});
  let buffered = '';
  socket.setEncoding('latin1').on('data', (chunk: string) => {
    buffered += chunk;
    let end = buffered.indexOf('\r\n');
    while (end >= 0) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const parsed = parseMonitorLine(line);
      if (parsed) onCommand(parsed.source, parsed.words);
      end = buffered.indexOf('\r\n');
    }
  });
  const db = url.pathname.replace('/', '');
  socket.write(`${db ? `SELECT ${db}\r\n` : ''}MONITOR\r\n`);
  return socket;
}

function parseMonitorLine(line: string): { source: string; words: string[] } | null {
  const header = /^\+[\d.]+ \[\d+ ([^\]]+)\] /.exec(line);
  if (!header) return null;
  const source = header[1]?.startsWith('lua') ? 'lua' : 'client';
  const words: string[] = [];
  const rest = line.slice(header[0].length);
  const quoted = /"((?:[^"\\]|\\.)*)"/g;
  for (let match = quoted.exec(rest); match; match = quoted.exec(rest)) words.push(unescapeMonitor(match[1] ?? ''));
  return { source, words };
}

const escapes = new Map([
  ['n', '\n'],
  ['r', '\r'],
  ['t', '\t'],
]);

/** MONITOR escapes: \\, \", \n, \r, \t, \xHH. */
function unescapeMonitor(text: string): string {
  return text.replace(/\\(x[0-9a-f]{2}|.)/g, (_match, code: string) => {
    if (code.startsWith('x') && code.length === 3) return String.fromCharCode(Number.parseInt(code.slice(1), 16));
    return escapes.get(code) ?? code;
  });
}
