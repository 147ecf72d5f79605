import type { Redis } from 'ioredis';
import type {
  RunDetail,
  RunOutcome,
  RunPage,
  RunQuery,
  RunSummary,
  StepLogEntry,
  TranscriptMessage,
} from '../contract/runs.ts';
import { Workflow } from '../workflow/schema.ts';
import { type Command, flattenCommands } from './commands.ts';
import type { RuntimeKeys } from './keys.ts';
import { failedAtStep, runOutcome } from './run-outcome.ts';
import {
  messageLine,
  newRunRecord,
  readRunRecord,
  runOfRecord,
  runOfStateLine,
  runRecordScript,
  runRecordWrite,
  stepLine,
} from './run-record.ts';
import { finalStatuses, type RunState } from './run-state.ts';

const enroll = runRecordScript('commands', 'run-enroll');
const activeStates = runRecordScript('run-active-states');

/** A rule claim an enrolment takes: the key and its TTL (0: held until released). */
export interface EnrollmentClaim {
  key: string;
  ttlMs: number;
}

export type CreateResult = { kind: 'created' } | { kind: 'exists' } | { kind: 'refused'; claim: number };

/** How long an event id is remembered for deduplication. */
export const EVENT_DEDUP_TTL_S = 7 * 86_400;

/** The keys a published run's creation and end write to keep its workflow's active-run count (`WorkflowStore.activeRunKeys`). */
export type ActiveRunKeys = (workflowId: string) => { count: string; workflow: string; versions: string };

/** How many records `page` reads at most to filter by what no index holds; past it, the total is a lower bound. */
const LIST_SCAN_LIMIT = 5_000;

/** The outcomes with an index of their own, per workflow: the ones an operator looks for. */
type IndexedOutcome = Extract<RunOutcome, 'failed' | 'completed_with_failures'>;
const indexedOutcomes: readonly IndexedOutcome[] = ['failed', 'completed_with_failures'];
const isIndexed = (outcome: string | null | undefined): outcome is IndexedOutcome =>
  indexedOutcomes.some((indexed) => indexed === outcome);

/**
 * Runs in Redis: each one's record (`run-record.ts`), and a sorted set of ids per workflow
 * (and one for all) for history. A published
 * run's conversation finds it through its "one active run" claim. Ended runs' keys expire
 * after the retention.
 */
export class RunStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RuntimeKeys,
    private readonly retentionMs: number,
    private readonly activeRunKeys: ActiveRunKeys,
  ) {}

  async get(runId: string): Promise<RunState | null> {
    const raw = await this.redis.get(this.keys.run(runId));
    return raw === null ? null : runOfRecord(raw, runId);
  }

  /** The run from its record as read from `keys.run(runId)`. */
  fromRecord(record: string, runId: string): RunState {
    return runOfRecord(record, runId);
  }

  async getMany(runIds: string[]): Promise<RunState[]> {
    if (runIds.length === 0) return [];
    const raws = await this.redis.mget(runIds.map((id) => this.keys.run(id)));
    return raws.flatMap((raw, index) => {
      const id = runIds[index];
      return raw === null || id === undefined ? [] : [runOfRecord(raw, id)];
    });
  }

  async exists(runId: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.run(runId))) === 1;
  }

  /**
   * Takes the claims and creates the run, atomically: `refused` names the first claim another
   * run holds (index into `claims`); `exists` when a run with this id exists already (a duplicate event).
   */
  async create(run: RunState, snapshot?: Workflow, claims: EnrollmentClaim[] = []): Promise<CreateResult> {
    const expired = String(run.createdAt - this.retentionMs);
    const commands: Command[] = [
      ['ZADD', this.keys.workflowRuns(run.workflowId), String(run.createdAt), run.id],
      ['SADD', this.keys.indexedWorkflows(), run.workflowId],
      // Index entries of runs past the retention point at expired keys: trimmed as new runs come.
      ['ZREMRANGEBYSCORE', this.keys.workflowRuns(run.workflowId), '-inf', expired],
      // Until its job begins it, a lost enqueue leaves the run here for the requeue sweep to find.
      ['ZADD', this.keys.moving(), String(run.createdAt), run.id],
    ];
    if (snapshot) commands.push(['SET', this.keys.snapshot(run.id), JSON.stringify(snapshot)]);
    if (!run.test) commands.push(['HINCRBY', this.activeRunKeys(run.workflowId).count, run.workflowId, '1']);
    const flat = flattenCommands(commands);
    const result = await enroll.run(
      this.redis,
      [this.keys.run(run.id), ...claims.map((claim) => claim.key), ...flat.keys],
      [run.id, newRunRecord(run), claims.length, ...claims.map((claim) => claim.ttlMs), ...flat.args],
    );
    const [outcome, claim] = Array.isArray(result) ? result : [];
    if (outcome === 1) return { kind: 'created' };
    if (outcome === 2) return { kind: 'exists' };
    return { kind: 'refused', claim: typeof claim === 'number' ? claim - 1 : 0 };
  }

  async snapshot(runId: string): Promise<Workflow | null> {
    const raw = await this.redis.get(this.keys.snapshot(runId));
    return raw === null ? null : Workflow.parse(JSON.parse(raw));
  }

  /**
   * Writes of a state change: the state itself, the waiting set, the moving set (queued and
   * running runs by their last write: nothing per waiting run), and on end the cleanup.
   */
  saveCommands(run: RunState): Command[] {
    const commands: Command[] = [runRecordWrite(this.keys.run(run.id), run)];
    if (run.status === 'waiting') commands.push(['SADD', this.keys.waiting(), run.id]);
    else commands.push(['SREM', this.keys.waiting(), run.id]);
    if (run.status === 'queued' || run.status === 'running') {
      commands.push(['ZADD', this.keys.moving(), String(run.updatedAt), run.id]);
    } else commands.push(['ZREM', this.keys.moving(), run.id]);
    if (finalStatuses.has(run.status)) commands.push(...this.endCommands(run));
    return commands;
  }

  appendStepCommand(run: RunState, entry: StepLogEntry): Command {
    return runRecordWrite(this.keys.run(run.id), null, stepLine(entry, run.createdAt));
  }

  appendTranscriptCommand(run: RunState, message: TranscriptMessage): Command {
    return runRecordWrite(this.keys.run(run.id), null, messageLine(message, run.createdAt));
  }

  private endCommands(run: RunState): Command[] {
    const ttl = String(Math.max(1, Math.ceil(this.retentionMs / 1000)));
    const commands: Command[] = [['DEL', this.keys.inbox(run.id)]];
    // Every published run holds its conversation's "one active run" claim until it ends, and
    // counts as an active run of its workflow.
    if (!run.test) {
      const { count, workflow, versions } = this.activeRunKeys(run.workflowId);
      commands.push(
        ['DEL', this.keys.activeClaim(run.workflowId, run.conversationId)],
        ['@RUN_ENDED', count, workflow, versions, run.workflowId],
      );
    }
    commands.push(['EXPIRE', this.keys.run(run.id), ttl]);
    const outcome = runOutcome(run);
    if (isIndexed(outcome)) {
      const index = this.outcomeIndex(run.workflowId, outcome);
      commands.push(
        ['ZADD', index, String(run.createdAt), run.id],
        ['ZREMRANGEBYSCORE', index, '-inf', String(run.createdAt - this.retentionMs)],
      );
    }
    // Its event is remembered from now on: the record that made redeliveries find the run expires.
    const eventId = triggerEventId(run);
    if (eventId !== null) {
      commands.push(['SET', this.keys.event(`closed:${eventId}`), '1', 'EX', String(EVENT_DEDUP_TTL_S)]);
    }
    if (run.test) commands.push(['EXPIRE', this.keys.snapshot(run.id), ttl]);
    return commands;
  }

  /**
   * Writes undoing a published run's end, for an operator's retry (`run-retry.ts`), after
   * `saveCommands` of its running state: its record kept again (no expiry), out of the outcome
   * indexes until it ends again, counted active again. Its conversation's "one active run" claim
   * the caller takes before this write, atomically (another run may be enrolled meanwhile).
   */
  reopenCommands(run: RunState): Command[] {
    const { count } = this.activeRunKeys(run.workflowId);
    return [
      ['PERSIST', this.keys.run(run.id)],
      ...indexedOutcomes.map((outcome): Command => ['ZREM', this.outcomeIndex(run.workflowId, outcome), run.id]),
      ['HINCRBY', count, run.workflowId, '1'],
    ];
  }

  async detail(runId: string): Promise<RunDetail | null> {
    const record = await this.redis.get(this.keys.run(runId));
    if (record === null) return null;
    const { run, steps, transcript } = readRunRecord(record, runId);
    return {
      ...toSummary(run),
      variables: run.scope,
      steps,
      transcript,
      waitingFor: run.status === 'waiting' && run.wait ? run.wait.kind : null,
    };
  }

  /** The first page of runs matching `query`, newest first (no total: it stops once the page is full). */
  async list(query: RunQuery): Promise<RunSummary[]> {
    return (await this.page({ ...query, offset: 0 }, { countAll: false })).runs;
  }

  /**
   * The runs matching `query`, newest first, from `offset`, with how many match in all. An
   * outcome with its own index, the workflow and the dates are read from the indexes alone;
   * other filters read records, at most `LIST_SCAN_LIMIT` of them. Index entries older than the
   * retention (their runs expired) are trimmed here.
   */
  async page(query: RunQuery, { countAll = true } = {}): Promise<RunPage> {
    const workflowIds = query.workflowId ? [query.workflowId] : await this.redis.smembers(this.keys.indexedWorkflows());
    const indexes = workflowIds.flatMap((id) => this.indexesOf(id, query));
    const expired = String(Date.now() - this.retentionMs);
    await Promise.all(indexes.map((index) => this.redis.zremrangebyscore(index, '-inf', expired)));
    const range = {
      min: query.from === undefined ? '-inf' : String(Date.parse(query.from)),
      max: query.to === undefined ? '+inf' : String(Date.parse(query.to)),
    };
    const offset = query.offset ?? 0;
    const matches = recordFilter(query);
    if (matches === null) {
      const counts = await Promise.all(indexes.map((index) => this.redis.zcount(index, range.min, range.max)));
      const ids: string[] = [];
      const wanted = offset + query.limit;
      for await (const batch of newestFirst(this.redis, indexes, range, Math.min(wanted, 1_000))) {
        ids.push(...batch);
        if (ids.length >= wanted) break;
      }
      const runs = await this.getMany(ids.slice(offset, wanted));
      return { runs: runs.map(toSummary), total: counts.reduce((sum, count) => sum + count, 0), exact: true };
    }
    const runs: RunSummary[] = [];
    let total = 0;
    let scanned = 0;
    let exact = true;
    for await (const batch of newestFirst(this.redis, indexes, range, Math.max(query.limit * 2, 100))) {
      if (scanned >= LIST_SCAN_LIMIT || (!countAll && runs.length === query.limit)) {
        exact = false;
        break;
      }
      scanned += batch.length;
      for (const run of await this.getMany(batch)) {
        if (!matches(run)) continue;
        if (total >= offset && runs.length < query.limit) runs.push(toSummary(run));
        total += 1;
      }
    }
    return { runs, total, exact };
  }

  /** Runs of the workflow created since `since` that ended failed or completed with failures. */
  async failuresSince(workflowId: string, since: number): Promise<number> {
    const counts = await Promise.all(
      indexedOutcomes.map((outcome) =>
        this.redis.zcount(this.outcomeIndex(workflowId, outcome), String(since), '+inf'),
      ),
    );
    return counts.reduce((sum, count) => sum + count, 0);
  }

  async countSince(workflowId: string, since: number): Promise<number> {
    return this.redis.zcount(this.keys.workflowRuns(workflowId), String(since), '+inf');
  }

  /** The indexes holding every run of the workflow that `query` may match. */
  private indexesOf(workflowId: string, query: RunQuery): string[] {
    if (isIndexed(query.outcome)) return [this.outcomeIndex(workflowId, query.outcome)];
    // A run that failed at a step failed; one that left it by a failure exit ended with failures, or failed later.
    if (query.outcome === 'any_failure' || (query.nodeId !== undefined && query.outcome === undefined)) {
      return indexedOutcomes.map((outcome) => this.outcomeIndex(workflowId, outcome));
    }
    return [this.keys.workflowRuns(workflowId)];
  }

  /**
   * Sorted set of the workflow's run ids that ended with `outcome`, by creation time. Built on
   * the workflow's index key: a workflow id holds no ":", so no other workflow's key is this one.
   */
  private outcomeIndex(workflowId: string, outcome: IndexedOutcome): string {
    return `${this.keys.workflowRuns(workflowId)}:${outcome === 'failed' ? 'failed' : 'with-failures'}`;
  }

  /**
   * The active published runs of a conversation, one per workflow at most; `publishedKey` is the
   * hash whose fields are the published workflow ids (`WorkflowStore.publishedKey`).
   */
  async activeRunsOf(conversationId: string, publishedKey: string): Promise<RunState[]> {
    const claimPrefix = this.keys.activeClaim('', '').slice(0, -1);
    const found = await activeStates.run(
      this.redis,
      [this.activeRunKeys('').count, publishedKey],
      [this.keys.run(''), claimPrefix, conversationId],
    );
    const runs: RunState[] = [];
    if (!Array.isArray(found)) return runs;
    for (let i = 0; i + 1 < found.length; i += 2) {
      const [id, state] = [found[i], found[i + 1]];
      if (typeof id === 'string' && typeof state === 'string') runs.push(runOfStateLine(state, id));
    }
    return runs;
  }

  /**
   * The ids of a workflow's active published runs, from their "one active run" claims. It scans
   * the key space: for deleting or unpublishing a workflow, not for a hot path.
   */
  async activeRunIdsOf(workflowId: string): Promise<string[]> {
    const pattern = `${globEscape(this.keys.activeClaim(workflowId, ''))}*`;
    const ids = new Set<string>();
    let cursor = '0';
    do {
      const [next, claims] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (claims.length === 0) continue;
      for (const id of await this.redis.mget(claims)) if (id !== null) ids.add(id);
    } while (cursor !== '0');
    return [...ids];
  }

  async waitingCount(): Promise<number> {
    return this.redis.scard(this.keys.waiting());
  }
}

/** The id of the platform event that started a published run, from its trigger variables. */
function triggerEventId(run: RunState): string | null {
  if (run.test || run.trigger !== 'conversation.closed') return null;
  const trigger = run.scope.trigger;
  if (typeof trigger !== 'object' || trigger === null || Array.isArray(trigger)) return null;
  const eventId = trigger.eventId;
  return typeof eventId === 'string' ? eventId : null;
}

/**
 * Run ids of several indexes (sorted sets by creation time) merged newest first, within a
 * score range, in pages of about `batch`: one index per workflow and no index of all runs (a
 * key entry less per run).
 */
async function* newestFirst(
  redis: Redis,
  indexes: string[],
  range: { min: string; max: string },
  batch: number,
): AsyncGenerator<string[]> {
  const cursors = indexes.map((key) => ({ key, offset: 0, done: false, buffer: [] as Array<[string, number]> }));
  for (;;) {
    await Promise.all(
      cursors
        .filter((cursor) => !cursor.done && cursor.buffer.length === 0)
        .map(async (cursor) => {
          const flat = await redis.zrevrangebyscore(
            cursor.key,
            range.max,
            range.min,
            'WITHSCORES',
            'LIMIT',
            cursor.offset,
            batch,
          );
          cursor.offset += batch;
          for (let i = 0; i + 1 < flat.length; i += 2) cursor.buffer.push([flat[i] ?? '', Number(flat[i + 1])]);
          if (flat.length < batch * 2) cursor.done = true;
        }),
    );
    // Entries not older than every open index's oldest fetched entry are in final order.
    let frontier = Number.NEGATIVE_INFINITY;
    for (const cursor of cursors) {
      const last = cursor.buffer.at(-1);
      if (!cursor.done && last) frontier = Math.max(frontier, last[1]);
    }
    const ready: Array<[string, number]> = [];
    for (const cursor of cursors) {
      while (cursor.buffer.length > 0 && (cursor.buffer[0]?.[1] ?? 0) >= frontier) {
        const entry = cursor.buffer.shift();
        if (entry) ready.push(entry);
      }
    }
    ready.sort((a, b) => b[1] - a[1]);
    if (ready.length > 0) yield ready.map(([id]) => id);
    if (cursors.every((cursor) => cursor.done && cursor.buffer.length === 0)) return;
  }
}

/** The test of a run against the filters no index answers; null: there are none. */
function recordFilter(query: RunQuery): ((run: RunState) => boolean) | null {
  const { status, conversationId, nodeId, outcome } = query;
  const indexed = outcome === undefined || outcome === 'any_failure' || isIndexed(outcome);
  if (indexed && status === undefined && conversationId === undefined && nodeId === undefined) return null;
  const outcomeMatches = (run: RunState) =>
    outcome === undefined || (outcome === 'any_failure' ? isIndexed(runOutcome(run)) : runOutcome(run) === outcome);
  return (run) =>
    (status === undefined || run.status === status) &&
    (conversationId === undefined || run.conversationId === conversationId) &&
    (nodeId === undefined || failedAtStep(run, nodeId)) &&
    outcomeMatches(run);
}

/** `text` matched literally by a `SCAN MATCH` pattern. */
function globEscape(text: string): string {
  return text.replace(/[\\*?[\]]/g, '\\$&');
}

export function toSummary(run: RunState): RunSummary {
  return {
    id: run.id,
    test: run.test,
    workflowId: run.workflowId,
    workflowVersion: run.workflowVersion,
    status: run.status,
    trigger: run.trigger,
    conversationId: run.conversationId,
    contactId: run.contactId,
    ...(run.contactName === undefined ? {} : { contactName: run.contactName }),
    currentNodeId: run.currentNodeId,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    endedAt: run.endedAt,
    outcome: runOutcome(run),
    failedSteps: run.failedSteps ?? [],
    ...(run.error === undefined ? {} : { error: run.error }),
  };
}
