import { type RunStatus, StepLogEntry, TranscriptMessage } from '../contract/runs.ts';
import { LuaScript } from '../redis/lua-script.ts';
import type { ChannelBinding } from '../sdk/channel-adapter.ts';
import { DEFAULT_EXIT } from '../sdk/define-node.ts';
import type { Json } from '../sdk/runner.ts';
import type { Command } from './commands.ts';
import { RunState, type StoredResume } from './run-state.ts';

/*
 * A run's record (`run:<id>`), owned here with its Lua half, `../redis/scripts/run-record.lua`: one
 * string, the run's state on its first line (`serializeRun`), then one line per step log entry
 * or transcript message, in order, as tuples (`encodeStep`, `encodeMessage`). JSON has no raw
 * newlines, so a line is one value. Nothing else reads or writes the format: code through the
 * functions below, scripts through `runRecordScript`.
 */

/** A Lua script that may read or write run records: `files` run after `run-record.lua`. */
export function runRecordScript(...files: [string, ...string[]]): LuaScript {
  return new LuaScript('run-record', ...files);
}

/** A new run's record: its state and an empty log. */
export function newRunRecord(run: RunState): string {
  return `${serializeRun(run)}\n`;
}

/** The run of a record as read from its key. */
export function runOfRecord(record: string, runId: string): RunState {
  return parseRunState(stateLine(record), runId);
}

/** The run of a state line, as `run-record.lua` reads them out of records. */
export function runOfStateLine(line: string, runId: string): RunState {
  return parseRunState(line, runId);
}

/** The run, its step log and its transcript, in order. */
export function readRunRecord(
  record: string,
  runId: string,
): { run: RunState; steps: StepLogEntry[]; transcript: TranscriptMessage[] } {
  const [state = '', ...log] = record.split('\n');
  const run = parseRunState(state, runId);
  const steps: StepLogEntry[] = [];
  const transcript: TranscriptMessage[] = [];
  for (const raw of log) {
    if (raw === '') continue;
    const entry = decodeLogEntry(JSON.parse(raw), run.createdAt);
    if ('from' in entry) transcript.push(TranscriptMessage.parse(entry));
    else steps.push(StepLogEntry.parse(entry));
  }
  return { run, steps, transcript };
}

/** The write of the record at `key` replacing its state with `run`'s (null: kept) and appending `entries`. */
export function runRecordWrite(key: string, run: RunState | null, entries = ''): Command {
  return ['@RUN', key, run === null ? '' : serializeRun(run), entries];
}

/** A step log line for the record of a run created at `createdAt`. */
export function stepLine(entry: StepLogEntry, createdAt: number): string {
  return `${encodeStep(entry, createdAt)}\n`;
}

/** A transcript line for the record of a run created at `createdAt`. */
export function messageLine(message: TranscriptMessage, createdAt: number): string {
  return `${encodeMessage(message, createdAt)}\n`;
}

function stateLine(record: string): string {
  const newline = record.indexOf('\n');
  return newline === -1 ? record : record.slice(0, newline);
}

const triggerCodes = { 'conversation.closed': 'c', shortcut: 's' } as const;

/**
 * The stored form of a run: short field names, no id (it is in the key), no empty fields, times
 * after creation as offsets from it, and the conversation, contact and contact name omitted when
 * the trigger variables hold them. A waiting run is kept by the hundred thousand, so every byte
 * counts (see README.md). Field names read by Lua (`run-record.lua`): `s` status, `f.a` the
 * inflight step asks.
 */
interface StoredRun {
  T?: 1;
  w: string;
  v: number;
  /** absent: conversation.closed */
  g?: 'c' | 's';
  c?: string;
  k?: string;
  /** null: no contact name, though the trigger variables hold one */
  n?: string | null;
  s: RunStatus;
  /** absent: the wait's node (or none without a wait) */
  p?: string | null;
  a: number;
  /** updatedAt − createdAt */
  u: number;
  /** endedAt − createdAt */
  e?: number;
  x?: string;
  o: Record<string, Json>;
  V: Record<string, number>;
  /** kind (r: reply, d: delay), node, seq, deadline − createdAt, askedAt − createdAt */
  W?: ['r' | 'd', string, number, number | null, number];
  /** absent: the wait's number */
  q?: number;
  N?: Json;
  /** node, startedAt − createdAt, started, asks, resume */
  f?: { n: string; t: number; s: 0 | 1; a?: 1; r?: StoredResume };
  /** the channel binding, as is */
  b?: ChannelBinding;
  /** the steps left by a failure exit; absent: none */
  F?: string[];
}

function serializeRun(run: RunState): string {
  // Built field by field, not by spreading: this runs at every write of every run.
  const createdAt = run.createdAt;
  const held = heldInScope(run.scope);
  const stored: StoredRun = {
    w: run.workflowId,
    v: run.workflowVersion,
    s: run.status,
    a: createdAt,
    u: run.updatedAt - createdAt,
    o: run.scope,
    V: run.visits,
  };
  const wait = run.wait;
  if (run.trigger !== 'conversation.closed') stored.g = triggerCodes[run.trigger];
  // A waiting run is at its wait's node, with its wait's number: both implied by `W`.
  if (wait?.seq !== run.waitSeq) stored.q = run.waitSeq;
  if (wait?.nodeId !== run.currentNodeId) stored.p = run.currentNodeId;
  if (run.test) stored.T = 1;
  if (held.conversationId !== run.conversationId) stored.c = run.conversationId;
  if (held.contactId !== run.contactId) stored.k = run.contactId;
  if (held.contactName !== run.contactName) stored.n = run.contactName ?? null;
  if (run.endedAt !== null) stored.e = run.endedAt - createdAt;
  if (run.error !== undefined) stored.x = run.error;
  if (wait !== null) {
    stored.W = [
      wait.kind === 'reply' ? 'r' : 'd',
      wait.nodeId,
      wait.seq,
      wait.deadline === null ? null : wait.deadline - createdAt,
      wait.askedAt - createdAt,
    ];
  }
  if (run.nodeState !== null) stored.N = run.nodeState;
  const inflight = run.inflight;
  if (inflight !== null) {
    const f: NonNullable<StoredRun['f']> = {
      n: inflight.nodeId,
      t: inflight.startedAt - createdAt,
      s: inflight.started ? 1 : 0,
    };
    if (inflight.asks) f.a = 1;
    if (inflight.resume) f.r = inflight.resume;
    stored.f = f;
  }
  if (run.channel) stored.b = run.channel;
  if (run.failedSteps?.length) stored.F = run.failedSteps;
  return JSON.stringify(stored);
}

/** `conversation.id`, `contact.id` and `contact.name` of the trigger variables, when strings. */
function heldInScope(scope: Record<string, Json>): {
  conversationId?: string;
  contactId?: string;
  contactName?: string;
} {
  const field = (object: Json | undefined, key: string) =>
    typeof object === 'object' && object !== null && !Array.isArray(object) && typeof object[key] === 'string'
      ? object[key]
      : undefined;
  const conversationId = field(scope.conversation, 'id');
  const contactId = field(scope.contact, 'id');
  const contactName = field(scope.contact, 'name');
  return {
    ...(conversationId === undefined ? {} : { conversationId }),
    ...(contactId === undefined ? {} : { contactId }),
    ...(contactName === undefined ? {} : { contactName }),
  };
}

/** The run `id` from its stored form; a form without short names is read as the full state. */
function parseRunState(raw: string, id: string): RunState {
  const value: unknown = JSON.parse(raw);
  if (typeof value !== 'object' || value === null || Array.isArray(value) || 'workflowId' in value) {
    return RunState.parse(value);
  }
  // Validated by RunState.parse below.
  const stored = value as Partial<StoredRun>;
  const wait = stored.W;
  const inflight = stored.f;
  const createdAt = stored.a ?? 0;
  const at = (offset: number | null | undefined) => (typeof offset === 'number' ? createdAt + offset : offset);
  const held = heldInScope(stored.o ?? {});
  const contactName = stored.n === null ? undefined : (stored.n ?? held.contactName);
  return RunState.parse({
    id,
    test: stored.T === 1,
    workflowId: stored.w,
    workflowVersion: stored.v,
    trigger: stored.g === 's' ? 'shortcut' : 'conversation.closed',
    conversationId: stored.c ?? held.conversationId,
    contactId: stored.k ?? held.contactId,
    ...(contactName === undefined ? {} : { contactName }),
    status: stored.s,
    currentNodeId: stored.p === undefined ? (Array.isArray(wait) ? wait[1] : null) : stored.p,
    createdAt: stored.a,
    updatedAt: at(stored.u),
    endedAt: at(stored.e) ?? null,
    ...(stored.x === undefined ? {} : { error: stored.x }),
    scope: stored.o,
    visits: stored.V,
    wait: Array.isArray(wait)
      ? {
          kind: wait[0] === 'd' ? 'delay' : 'reply',
          nodeId: wait[1],
          seq: wait[2],
          deadline: at(wait[3]),
          askedAt: at(wait[4]),
        }
      : null,
    waitSeq: stored.q ?? (Array.isArray(wait) ? wait[2] : undefined),
    nodeState: stored.N ?? null,
    inflight: inflight
      ? {
          nodeId: inflight.n,
          startedAt: at(inflight.t),
          started: inflight.s === 1,
          ...(inflight.a === 1 ? { asks: true } : {}),
          ...(inflight.r ? { resume: inflight.r } : {}),
        }
      : null,
    ...(stored.b ? { channel: stored.b } : {}),
    ...(stored.F ? { failedSteps: stored.F } : {}),
  });
}

const outcomeCodes = { exited: 'x', paused: 'p', failed: 'f', retried: 'r' } as const;
const outcomesByCode: Record<string, StepLogEntry['outcome']> = {
  x: 'exited',
  p: 'paused',
  f: 'failed',
  r: 'retried',
};

/**
 * Log entries are stored as tuples, not objects (a waiting run keeps its log), their times as
 * offsets from the run's creation: a step
 * `[nodeId, nodeType, startedAt, durationMs, outcome code, exit?, {error, warnings, note}?]`
 * (an exited step without exit left by "default"), a message
 * `[0 (bot) | 1 (contact), text, at, quickReplies?]`.
 */
function encodeStep(entry: StepLogEntry, createdAt: number): string {
  const { nodeId, nodeType, startedAt, durationMs, outcome, exit, ...rest } = entry;
  const tuple: unknown[] = [nodeId, nodeType, startedAt - createdAt, durationMs, outcomeCodes[outcome]];
  const hasRest = Object.keys(rest).length > 0;
  const implied = outcome === 'exited' ? exit === DEFAULT_EXIT : exit === undefined;
  if (!implied || hasRest) tuple.push(exit ?? null);
  if (hasRest) tuple.push(rest);
  return JSON.stringify(tuple);
}

function encodeMessage(message: TranscriptMessage, createdAt: number): string {
  const tuple: unknown[] = [message.from === 'bot' ? 0 : 1, message.text, message.at - createdAt];
  if (message.quickReplies) tuple.push(message.quickReplies);
  return JSON.stringify(tuple);
}

/** A stored tuple as its contract object (to be validated); objects (an older form) pass as they are. */
function decodeLogEntry(value: unknown, createdAt: number): Record<string, unknown> {
  const at = (offset: unknown) => (typeof offset === 'number' ? createdAt + offset : offset);
  if (!Array.isArray(value)) return typeof value === 'object' && value !== null ? { ...value } : {};
  if (typeof value[0] === 'number') {
    return {
      from: value[0] === 0 ? 'bot' : 'contact',
      text: value[1],
      at: at(value[2]),
      ...(value[3] === undefined ? {} : { quickReplies: value[3] }),
    };
  }
  const rest: unknown = value[6];
  const code: unknown = value[4];
  const outcome = typeof code === 'string' && Object.hasOwn(outcomesByCode, code) ? outcomesByCode[code] : code;
  const exit: unknown = value[5] === undefined && outcome === 'exited' ? DEFAULT_EXIT : value[5];
  return {
    nodeId: value[0],
    nodeType: value[1],
    startedAt: at(value[2]),
    durationMs: value[3],
    outcome,
    ...(exit === null || exit === undefined ? {} : { exit }),
    ...(typeof rest === 'object' && rest !== null ? rest : {}),
  };
}
