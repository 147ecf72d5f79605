import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type {
  DraftChangedDetails,
  DraftSave,
  PublishOptions,
  ValidationReport,
  VersionSummary,
  WorkflowRecord,
} from '../contract/workflows.ts';
import { AppError, notFound, workflowInvalid } from '../errors.ts';
import { LuaScript } from '../redis/lua-script.ts';
import { Workflow, WorkflowInput } from '../workflow/schema.ts';
import { diffVersions } from '../workflow/version-diff.ts';
import { contentHash } from './canonical-json.ts';

export type PublishedWorkflow = { workflow: Workflow; version: number };
export type Validate = (workflow: Workflow) => ValidationReport | Promise<ValidationReport>;

/**
 * Workflows on Redis: an editable draft per workflow plus immutable published versions.
 *
 * Keys (all under `prefix`): `wf:*`, described with their TTLs in the key map
 * (`engine/src/runtime/README.md`). A workflow's versions are never rewritten, and kept as long
 * as the workflow exists or has active runs (`wf:active-runs`, which the run store moves in the
 * same atomic writes that create and end a run: `activeRunKeys`), so a run paused on an old
 * version resumes on it, even after the workflow was deleted. `wf:version-seq` outlives a
 * deleted workflow, so `id@version` names one frozen content forever and callers may cache
 * versions by it.
 *
 * `published()` is one HGETALL per call; parsed workflows are cached in-process by their raw
 * JSON, so an unchanged workflow is not re-parsed on every incoming event, and a publish or
 * delete by any process is seen on the very next call.
 */
export class WorkflowStore {
  private readonly publishedCache = new Map<string, { raw: string; value: PublishedWorkflow }>();
  private readonly now: () => number;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    options: { now?: () => number } = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  async create(input: WorkflowInput): Promise<WorkflowRecord> {
    const parsed = parseInput(input);
    const workflow: Workflow = { ...parsed, id: parsed.id ?? newWorkflowId() };
    const created = await this.saveNew(workflow);
    if (!created) throw new AppError('WORKFLOW_ID_TAKEN', workflow.id);
    return this.get(workflow.id);
  }

  /** Creates the workflow with its own id unless one with that id exists (loading `examples/`). */
  async importIfAbsent(input: WorkflowInput & { id: string }): Promise<WorkflowRecord | null> {
    const parsed = parseInput(input);
    const created = await this.saveNew({ ...parsed, id: input.id });
    return created ? this.get(input.id) : null;
  }

  /** Every workflow, most recently updated first. */
  async list(): Promise<WorkflowRecord[]> {
    const ids = await this.redis.zrevrange(this.key('wf:index'), 0, -1);
    if (ids.length === 0) return [];
    // MULTI, so a publish landing mid-read cannot pair a draft with another moment's versions.
    const transaction = this.redis.multi();
    for (const id of ids) {
      transaction.hgetall(this.workflowKey(id));
      transaction.zrange(this.workflowKey(id, 'published-at'), 0, -1, 'WITHSCORES');
    }
    transaction.hmget(this.key('wf:active-runs'), ...ids);
    const replies = checkReplies(await transaction.exec());
    const counts = z.array(z.string().nullable()).parse(replies[ids.length * 2]);
    const records: WorkflowRecord[] = [];
    for (let index = 0; index < ids.length; index++) {
      const fields = z.record(z.string(), z.string()).parse(replies[index * 2]);
      const publishedAt = z.array(z.string()).parse(replies[index * 2 + 1]);
      // An empty hash: deleted between the two reads.
      if (fields.draft !== undefined) records.push(toRecord(fields, publishedAt, counts[index] ?? null));
    }
    return records;
  }

  async get(id: string): Promise<WorkflowRecord> {
    const [rawFields, rawPublishedAt, rawCount] = checkReplies(
      await this.redis
        .multi()
        .hgetall(this.workflowKey(id))
        .zrange(this.workflowKey(id, 'published-at'), 0, -1, 'WITHSCORES')
        .hget(this.key('wf:active-runs'), id)
        .exec(),
    );
    const fields = z.record(z.string(), z.string()).parse(rawFields);
    if (fields.draft === undefined) throw notFound('Workflow', id);
    return toRecord(fields, z.array(z.string()).parse(rawPublishedAt), z.string().nullable().parse(rawCount));
  }

  /**
   * Replaces the draft and bumps its revision. With `baseRevision`, refuses (DRAFT_CHANGED) when
   * the draft was saved since that revision, in the same atomic step as the write, so of two
   * saves from the same revision exactly one lands. Published versions are untouched until the
   * next publish.
   */
  async update(id: string, input: DraftSave): Promise<WorkflowRecord> {
    const parsed = parseInput(input);
    if (parsed.id !== undefined && parsed.id !== id) {
      throw new AppError(
        'BAD_REQUEST',
        `The body's id "${parsed.id}" does not match the workflow "${id}" in the path.`,
      );
    }
    const workflow: Workflow = { ...parsed, id };
    const result = UpdateResult.parse(
      await updateScript.run(
        this.redis,
        [this.workflowKey(id), this.key('wf:index')],
        [
          JSON.stringify(workflow),
          hashOf(workflow),
          this.now(),
          id,
          displayName(input.savedBy),
          input.baseRevision ?? '',
        ],
      ),
    );
    if (result[0] === 'missing') throw notFound('Workflow', id);
    if (result[0] === 'changed') {
      const [, revision, savedAt, savedBy] = result;
      const details: DraftChangedDetails = { revision, savedAt, savedBy };
      throw new AppError('DRAFT_CHANGED', { id, ...details }, details);
    }
    return this.get(id);
  }

  /**
   * Removes the draft and the published pointer, and the versions unless runs still use them:
   * those stay until the last of these runs ends (`activeRunKeys`).
   */
  async delete(id: string): Promise<void> {
    const deleted = await deleteScript.run(
      this.redis,
      [
        this.workflowKey(id),
        this.workflowKey(id, 'versions'),
        this.workflowKey(id, 'published-at'),
        this.key('wf:index'),
        this.key('wf:published'),
        this.key('wf:active-runs'),
        this.workflowKey(id, 'version-notes'),
      ],
      [id],
    );
    if (deleted !== 1) throw notFound('Workflow', id);
  }

  /** New events no longer enrol in the workflow; its draft and versions stay, and it can be published again. */
  async unpublish(id: string): Promise<WorkflowRecord> {
    const found = await unpublishScript.run(this.redis, [this.workflowKey(id), this.key('wf:published')], [id]);
    if (found !== 1) throw notFound('Workflow', id);
    return this.get(id);
  }

  /**
   * Validates the stored draft and freezes it as the next version, which becomes the published
   * one, with its note and publisher. Publishing a draft identical to the latest version creates
   * no new version (and keeps that version's note).
   */
  async publish(id: string, validate: Validate, options: PublishOptions = {}): Promise<WorkflowRecord> {
    const meta: VersionMeta = {
      note: options.note?.trim() || null,
      publishedBy: displayName(options.publishedBy) || null,
    };
    // A save landing between the read and the write changes the draft hash; the script then
    // refuses and we validate the new draft instead of publishing an unvalidated one.
    for (let attempt = 0; attempt < 3; attempt++) {
      const record = await this.get(id);
      const workflow = draftOf(record);
      const report = await validate(workflow);
      if (!report.valid) throw workflowInvalid(report.problems);
      const result = await publishScript.run(
        this.redis,
        [
          this.workflowKey(id),
          this.workflowKey(id, 'versions'),
          this.workflowKey(id, 'published-at'),
          this.key('wf:published'),
          this.key('wf:version-seq'),
          this.workflowKey(id, 'version-notes'),
        ],
        [id, hashOf(workflow), JSON.stringify(workflow), this.now(), JSON.stringify(meta)],
      );
      if (result === -1) throw notFound('Workflow', id);
      if (result !== -2) return this.get(id);
    }
    throw new AppError('WORKFLOW_CHANGING', id);
  }

  /** A frozen version, exactly as it was published. */
  async getVersion(id: string, version: number): Promise<Workflow> {
    const raw = await this.redis.hget(this.workflowKey(id, 'versions'), String(version));
    if (raw === null) throw new AppError('NOT_FOUND', `Workflow "${id}" has no version ${version}.`);
    return Workflow.parse(JSON.parse(raw));
  }

  /**
   * The published versions, newest first, each with its note, publisher and what changed
   * against the version before it. Reads every frozen version: meant for the versions dialog,
   * not for hot paths.
   */
  async versionHistory(id: string): Promise<VersionSummary[]> {
    const [rawFields, rawPublishedAt, rawVersions, rawMeta] = checkReplies(
      await this.redis
        .multi()
        .hget(this.workflowKey(id), 'draft')
        .zrange(this.workflowKey(id, 'published-at'), 0, -1, 'WITHSCORES')
        .hgetall(this.workflowKey(id, 'versions'))
        .hgetall(this.workflowKey(id, 'version-notes'))
        .exec(),
    );
    if (rawFields === null) throw notFound('Workflow', id);
    const publishedAt = z.array(z.string()).parse(rawPublishedAt);
    const frozen = z.record(z.string(), z.string()).parse(rawVersions);
    const metas = z.record(z.string(), z.string()).parse(rawMeta);
    const history: VersionSummary[] = [];
    let previous: Workflow | null = null;
    for (let i = 0; i + 1 < publishedAt.length; i += 2) {
      const version = String(publishedAt[i]);
      const raw = frozen[version];
      const workflow = raw === undefined ? null : Workflow.parse(JSON.parse(raw));
      // Versions published before notes were kept have none.
      const meta = VersionMeta.parse(metas[version] === undefined ? {} : JSON.parse(metas[version]));
      history.push({
        version: Number(version),
        publishedAt: Number(publishedAt[i + 1]),
        note: meta.note,
        publishedBy: meta.publishedBy,
        changes: previous && workflow ? diffVersions(previous, workflow) : null,
      });
      previous = workflow;
    }
    return history.reverse();
  }

  /** Every workflow's currently published version, in one round trip. */
  async published(): Promise<PublishedWorkflow[]> {
    const all = await this.redis.hgetall(this.key('wf:published'));
    const result: PublishedWorkflow[] = [];
    for (const [id, raw] of Object.entries(all)) {
      let cached = this.publishedCache.get(id);
      if (cached?.raw !== raw) {
        cached = { raw, value: PublishedEntry.parse(JSON.parse(raw)) };
        this.publishedCache.set(id, cached);
      }
      result.push(cached.value);
    }
    for (const id of this.publishedCache.keys()) {
      if (!Object.hasOwn(all, id)) this.publishedCache.delete(id);
    }
    return result;
  }

  /** The hash of published workflows: id → `{"version":N,"workflow":{…}}`. Its fields are the published ids. */
  publishedKey(): string {
    return this.key('wf:published');
  }

  /**
   * What a run's creation and end write to keep the workflow's active-run count (`HINCRBY` of
   * `count` field `id`, and `@RUN_ENDED` of `commands.ts`, which takes the versions of a deleted
   * workflow with its last run). The fields of `count` are the workflows with active runs.
   */
  activeRunKeys(id: string): { count: string; workflow: string; versions: string } {
    return {
      count: this.key('wf:active-runs'),
      workflow: this.workflowKey(id),
      versions: this.workflowKey(id, 'versions'),
    };
  }

  private async saveNew(workflow: Workflow): Promise<boolean> {
    const created = await createScript.run(
      this.redis,
      [this.workflowKey(workflow.id), this.key('wf:index')],
      [JSON.stringify(workflow), hashOf(workflow), this.now(), workflow.id],
    );
    return created === 1;
  }

  private key(name: string): string {
    return `${this.prefix}${name}`;
  }

  private workflowKey(id: string, part?: string): string {
    return this.key(part ? `wf:${id}:${part}` : `wf:${id}`);
  }
}

const UpdateResult = z.union([
  z.tuple([z.literal('saved'), z.number()]),
  z.tuple([z.literal('missing')]),
  z.tuple([z.literal('changed'), z.number(), z.coerce.number(), z.string().transform((name) => name || null)]),
]);

const EDITOR_NAME_MAX = 100;

/** `wf:<id>:version-notes` values: what publishing said about a version. */
const VersionMeta = z.object({
  note: z.string().nullable().default(null),
  publishedBy: z.string().nullable().default(null),
});
type VersionMeta = z.infer<typeof VersionMeta>;

/** Who saves, as the client said: trimmed and cut short, shown to others and never trusted for anything else. */
function displayName(name: string | undefined): string {
  return (name ?? '').trim().slice(0, EDITOR_NAME_MAX).trim();
}

const PublishedEntry = z.object({ version: z.number().int(), workflow: Workflow });

function newWorkflowId(): string {
  return `wf_${randomBytes(9).toString('base64url')}`;
}

function parseInput(input: WorkflowInput): z.output<typeof WorkflowInput> {
  const result = WorkflowInput.safeParse(input);
  if (!result.success) throw new AppError('BAD_REQUEST', `Invalid workflow: ${z.prettifyError(result.error)}`);
  return result.data;
}

/** What "has the workflow changed" compares: the content, not the id or timestamps. */
function hashOf(workflow: Workflow): string {
  // Absent fields drop out of the canonical JSON, so drafts without notes or a description
  // keep the hash they had before these fields existed.
  return contentHash({
    name: workflow.name,
    description: workflow.description,
    nodes: workflow.nodes,
    edges: workflow.edges,
    settings: workflow.settings,
    notes: workflow.notes,
  });
}

function draftOf(record: WorkflowRecord): Workflow {
  const { id, name, description, nodes, edges, settings, notes } = record;
  return { id, name, description, nodes, edges, settings, notes };
}

const StoredFields = z.object({
  draft: z.string(),
  draftHash: z.string(),
  createdAt: z.coerce.number(),
  updatedAt: z.coerce.number(),
  // Drafts stored before revisions were kept count as revision 0.
  revision: z.coerce.number().int().default(0),
  savedBy: z.string().optional(),
  publishedVersion: z.coerce.number().int().optional(),
  publishedHash: z.string().optional(),
});

function toRecord(raw: Record<string, string>, publishedAt: string[], activeRuns: string | null): WorkflowRecord {
  const fields = StoredFields.parse(raw);
  const draft = Workflow.parse(JSON.parse(fields.draft));
  const versions: WorkflowRecord['versions'] = [];
  for (let i = 0; i + 1 < publishedAt.length; i += 2) {
    versions.push({ version: Number(publishedAt[i]), publishedAt: Number(publishedAt[i + 1]) });
  }
  const published = fields.publishedVersion !== undefined;
  return {
    ...draft,
    status: published ? 'published' : 'draft',
    // A never-published draft is all unpublished changes.
    hasUnpublishedChanges: fields.publishedHash !== fields.draftHash,
    publishedVersion: fields.publishedVersion ?? null,
    versions,
    // Never below 0: runs enrolled before the count existed end without having been counted.
    activeRuns: Math.max(0, Number(activeRuns ?? 0)),
    createdAt: fields.createdAt,
    updatedAt: fields.updatedAt,
    revision: fields.revision,
    savedBy: fields.savedBy || null,
  };
}

function checkReplies(replies: [Error | null, unknown][] | null): unknown[] {
  if (replies === null) throw new Error('Redis transaction was aborted.');
  return replies.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}

const createScript = new LuaScript('workflow-create');
const updateScript = new LuaScript('workflow-update');
const deleteScript = new LuaScript('workflow-delete');
const unpublishScript = new LuaScript('workflow-unpublish');
const publishScript = new LuaScript('workflow-publish');
