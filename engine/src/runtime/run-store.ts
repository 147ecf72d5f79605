import type { Redis } from 'ioredis';
import { type RunDetail, type RunQuery, type RunSummary, StepLogEntry, TranscriptMessage } from '../contract/runs.ts';
import { LuaScript } from '../stores/lua-script.ts';
import { Workflow } from '../workflow/schema.ts';
import type { RuntimeKeys } from './keys.ts';
import type { Command } from './locks.ts';
import { finalStatuses, parseRunState, type RunState, serializeRun } from './run-state.ts';

/** Creates the run only if its id is new, then applies the index writes, atomically. */
const createIfAbsent = new LuaScript(`
if not redis.call('SET', KEYS[1], ARGV[1], 'NX') then return 0 end
for _, command in ipairs(cjson.decode(ARGV[2])) do redis.call(unpack(command)) end
return 1`);

/** How many index entries `list` reads at most to fill one filtered page. */
const LIST_SCAN_LIMIT = 5_000;

/**
 * Runs in Redis: the state as one JSON string, the step log and the transcript interleaved in
 * one list, and a sorted set of ids per workflow (and one for all) for history. A published
 * run's conversation finds it through its "one active run" claim. Ended runs' keys expire
 * after the retention.
 */
export class RunStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RuntimeKeys,
    private readonly retentionMs: number,
  ) {}

  async get(runId: string): Promise<RunState | null> {
    const raw = await this.redis.get(this.keys.run(runId));
    return raw === null ? null : parseRunState(raw);
  }

  async getMany(runIds: string[]): Promise<RunState[]> {
    if (runIds.length === 0) return [];
    const raws = await this.redis.mget(runIds.map((id) => this.keys.run(id)));
    return raws.flatMap((raw) => (raw === null ? [] : [parseRunState(raw)]));
  }

  async exists(runId: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.run(runId))) === 1;
  }

  /** False when a run with this id exists already (a duplicate event). */
  async create(run: RunState, snapshot?: Workflow): Promise<boolean> {
    const expired = String(run.createdAt - this.retentionMs);
    const commands: Command[] = [
      ['ZADD', this.keys.allRuns(), String(run.createdAt), run.id],
      ['ZADD', this.keys.workflowRuns(run.workflowId), String(run.createdAt), run.id],
      // Index entries of runs past the retention point at expired keys: trimmed as new runs come.
      ['ZREMRANGEBYSCORE', this.keys.allRuns(), '-inf', expired],
      ['ZREMRANGEBYSCORE', this.keys.workflowRuns(run.workflowId), '-inf', expired],
    ];
    if (snapshot) commands.push(['SET', this.keys.snapshot(run.id), JSON.stringify(snapshot)]);
    const created = await createIfAbsent.run(
      this.redis,
      [this.keys.run(run.id)],
      [serializeRun(run), JSON.stringify(commands)],
    );
    return created === 1;
  }

  async snapshot(runId: string): Promise<Workflow | null> {
    const raw = await this.redis.get(this.keys.snapshot(runId));
    return raw === null ? null : Workflow.parse(JSON.parse(raw));
  }

  /** Writes of a state change: the state itself, the waiting set, and on end the cleanup. */
  saveCommands(run: RunState): Command[] {
    const commands: Command[] = [['SET', this.keys.run(run.id), serializeRun(run)]];
    if (run.status === 'waiting') commands.push(['SADD', this.keys.waiting(), run.id]);
    else commands.push(['SREM', this.keys.waiting(), run.id]);
    if (finalStatuses.has(run.status)) commands.push(...this.endCommands(run));
    return commands;
  }

  appendStepCommand(runId: string, entry: StepLogEntry): Command {
    return ['RPUSH', this.keys.log(runId), JSON.stringify(entry)];
  }

  appendTranscriptCommand(runId: string, message: TranscriptMessage): Command {
    return ['RPUSH', this.keys.log(runId), JSON.stringify(message)];
  }

  /** Outbound messages are appended as they are sent, outside the step's final write. */
  async appendTranscript(runId: string, message: TranscriptMessage): Promise<void> {
    await this.redis.rpush(this.keys.log(runId), JSON.stringify(message));
  }

  private endCommands(run: RunState): Command[] {
    const ttl = String(Math.max(1, Math.ceil(this.retentionMs / 1000)));
    const commands: Command[] = [['DEL', this.keys.inbox(run.id)]];
    // Every published run holds its conversation's "one active run" claim until it ends.
    if (!run.test) commands.push(['DEL', this.keys.activeClaim(run.workflowId, run.conversationId)]);
    for (const key of [this.keys.run(run.id), this.keys.log(run.id)]) {
      commands.push(['EXPIRE', key, ttl]);
    }
    if (run.test) commands.push(['EXPIRE', this.keys.snapshot(run.id), ttl]);
    return commands;
  }

  async detail(runId: string): Promise<RunDetail | null> {
    const [run, log] = await Promise.all([this.get(runId), this.redis.lrange(this.keys.log(runId), 0, -1)]);
    if (!run) return null;
    const steps: StepLogEntry[] = [];
    const transcript: TranscriptMessage[] = [];
    for (const raw of log) {
      const entry: unknown = JSON.parse(raw);
      if (typeof entry === 'object' && entry !== null && 'from' in entry)
        transcript.push(TranscriptMessage.parse(entry));
      else steps.push(StepLogEntry.parse(entry));
    }
    return {
      ...toSummary(run),
      variables: run.scope,
      steps,
      transcript,
      waitingFor: run.status === 'waiting' && run.wait ? run.wait.kind : null,
    };
  }

  /** Newest first. Index entries older than the retention (their runs expired) are trimmed here. */
  async list(query: RunQuery): Promise<RunSummary[]> {
    const index = query.workflowId ? this.keys.workflowRuns(query.workflowId) : this.keys.allRuns();
    await this.redis.zremrangebyscore(index, '-inf', String(Date.now() - this.retentionMs));
    const found: RunSummary[] = [];
    const batch = Math.max(query.limit * 2, 100);
    for (let offset = 0; offset < LIST_SCAN_LIMIT && found.length < query.limit; offset += batch) {
      const ids = await this.redis.zrevrange(index, offset, offset + batch - 1);
      if (ids.length === 0) break;
      for (const run of await this.getMany(ids)) {
        if (query.status && run.status !== query.status) continue;
        if (query.conversationId && run.conversationId !== query.conversationId) continue;
        found.push(toSummary(run));
        if (found.length === query.limit) break;
      }
    }
    return found;
  }

  async countSince(workflowId: string, since: number): Promise<number> {
    return this.redis.zcount(this.keys.workflowRuns(workflowId), String(since), '+inf');
  }

  /** The active published runs of a conversation, one per workflow at most. */
  async activeRunsOf(conversationId: string, workflowIds: string[]): Promise<RunState[]> {
    if (workflowIds.length === 0) return [];
    const ids = await this.redis.mget(workflowIds.map((id) => this.keys.activeClaim(id, conversationId)));
    return this.getMany(ids.filter((id): id is string => id !== null));
  }

  async waitingCount(): Promise<number> {
    return this.redis.scard(this.keys.waiting());
  }
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
    ...(run.error === undefined ? {} : { error: run.error }),
  };
}
