import { z } from 'zod';
import { RunStatus } from '../contract/runs.ts';
import type { Json } from '../sdk/runner.ts';

const JsonValue: z.ZodType<Json> = z.json();

/** What a paused run waits for. `seq` names this one wait: a timeout or reply for an older wait is stale. */
export const RunWait = z.object({
  kind: z.enum(['reply', 'delay']),
  nodeId: z.string(),
  seq: z.number().int(),
  /** Epoch ms when the deadline job fires; null for a reply wait without time limit. */
  deadline: z.number().nullable(),
  askedAt: z.number(),
});
export type RunWait = z.infer<typeof RunWait>;

/** The event a resumed step is handling, stored so a re-execution after a crash replays the same one. */
export const StoredResume = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('reply'), text: z.string(), receivedAt: z.number() }),
  z.object({ kind: z.literal('timeout') }),
]);
export type StoredResume = z.infer<typeof StoredResume>;

/**
 * The step at the run's position, between "started" and its recorded outcome. Found with
 * `started` when a job picks the run up, it means the previous execution died mid-step
 * (so the step may have had side effects).
 */
export const InflightStep = z.object({
  nodeId: z.string(),
  startedAt: z.number(),
  resume: StoredResume.optional(),
  /** The step can wait for a reply: a reply arriving now may answer it (see `inbound.ts`). */
  asks: z.boolean().optional(),
  /** An execution began and recorded no outcome yet; false when the step is about to begin or
   * its last execution failed retryably (that failure is in the log). */
  started: z.boolean(),
});
export type InflightStep = z.infer<typeof InflightStep>;

/** The run's state: one JSON string in Redis. The step log and transcript are separate lists. */
export const RunState = z.object({
  id: z.string(),
  test: z.boolean(),
  workflowId: z.string(),
  workflowVersion: z.number().int(),
  trigger: z.enum(['conversation.closed', 'shortcut']),
  conversationId: z.string(),
  contactId: z.string(),
  contactName: z.string().optional(),
  status: RunStatus,
  currentNodeId: z.string().nullable().default(null),
  createdAt: z.number(),
  updatedAt: z.number(),
  endedAt: z.number().nullable().default(null),
  error: z.string().optional(),
  scope: z.record(z.string(), JsonValue),
  /** Times each node was entered: the "attempt family" of idempotency keys. */
  visits: z.record(z.string(), z.number().int()),
  wait: RunWait.nullable().default(null),
  /** Bumped at every pause. */
  waitSeq: z.number().int(),
  /** The current node's own state, saved with its last pause. */
  nodeState: JsonValue.nullable().default(null),
  inflight: InflightStep.nullable().default(null),
});
export type RunState = z.infer<typeof RunState>;

export const finalStatuses: ReadonlySet<RunStatus> = new Set(['completed', 'failed', 'cancelled']);

const triggerCodes = { 'conversation.closed': 'c', shortcut: 's' } as const;

/**
 * The stored form of a run: short field names, no id (it is in the key), no empty fields, times
 * after creation as offsets from it, and the conversation, contact and contact name omitted when
 * the trigger variables hold them. A waiting run is kept by the hundred thousand, so every byte
 * counts (see README.md). Field names read by Lua (`inbound.ts`): `s` status, `f.a` the
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
}

export function serializeRun(run: RunState): string {
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
export function parseRunState(raw: string, id: string): RunState {
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
  });
}
