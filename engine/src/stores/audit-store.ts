import type { Redis } from 'ioredis';
import { type AuditCsvQuery, AuditEntry, type AuditPage, type AuditQuery } from '../contract/accounts.ts';
import { AppError } from '../errors.ts';
import { toCsv } from './csv.ts';

/** An entry as recorded: the store gives it its id and time. */
export type AuditRecord = Omit<AuditEntry, 'id' | 'at'>;

/** How many stream entries one read takes while looking for matches of an action filter. */
const SCAN_BATCH = 200;

/** What each stream entry holds besides its id (which is its time): everything else of the entry. */
const StoredEntry = AuditEntry.omit({ id: true, at: true });

const STREAM_ID = /^(\d{1,15})-(\d{1,19})$/;

export const AUDIT_CSV_HEADER = [
  'time',
  'actor name',
  'actor kind',
  'role',
  'action',
  'target kind',
  'target id',
  'target name',
  'details',
];

/**
 * The audit log: one Redis stream (`audit`), newest last. A stream's entry ids are its times
 * (`<ms>-<seq>`, given by Redis, so entries of several processes keep one order), which makes
 * paging newest-first with a `before` cursor one XREVRANGE and trimming by age one XTRIM MINID.
 * Entries older than the retention are trimmed before each write (cheap: only what expired is
 * removed) and never read, even when no write trimmed them yet.
 */
export class AuditStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly retentionMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private get key(): string {
    return `${this.prefix}audit`;
  }

  /** Appends an entry. With `coalesce`, records nothing when `coalesce.key` was recorded within `coalesce.ms`. */
  async record(entry: AuditRecord, coalesce?: { key: string; ms: number }): Promise<AuditEntry | null> {
    if (coalesce) {
      const first = await this.redis.set(`${this.prefix}audit:recent:${coalesce.key}`, '1', 'PX', coalesce.ms, 'NX');
      if (first === null) return null;
    }
    const stored = StoredEntry.parse(entry);
    const replies = await this.redis
      .multi()
      .xtrim(this.key, 'MINID', this.oldestKept())
      .xadd(this.key, '*', 'e', JSON.stringify(stored))
      .exec();
    const id = replies?.[1]?.[1];
    const error = replies?.find(([failed]) => failed)?.[0];
    if (error) throw error;
    if (typeof id !== 'string') throw new Error('Redis did not answer the audit entry written');
    return { id, at: timeOf(id), ...stored };
  }

  /** Entries matching `query`, newest first, `query.limit` at a time; `more` when older ones match. */
  async page(query: AuditQuery): Promise<AuditPage> {
    const entries: AuditEntry[] = [];
    let more = false;
    for await (const entry of this.matching(query)) {
      if (entries.length === query.limit) {
        more = true;
        break;
      }
      entries.push(entry);
    }
    return { entries, more };
  }

  /** Every entry matching the filters, newest first, as CSV (spreadsheet-safe, see `csv.ts`). */
  async csv(query: AuditCsvQuery): Promise<string> {
    const rows: Array<Array<string | number>> = [];
    for await (const entry of this.matching(query)) {
      rows.push([
        new Date(entry.at).toISOString(),
        entry.actor.name,
        entry.actor.kind,
        entry.actor.role,
        entry.action,
        entry.target.kind,
        entry.target.id,
        entry.target.name ?? '',
        entry.details ? JSON.stringify(entry.details) : '',
      ]);
    }
    return toCsv(AUDIT_CSV_HEADER, rows);
  }

  /** Reads the stream newest first, from `to` (or `before`) down to `from` and the retention, in batches. */
  private async *matching(query: AuditCsvQuery): AsyncGenerator<AuditEntry> {
    const lowest = Math.max(this.oldestKept(), query.from === undefined ? 0 : Date.parse(query.from));
    let end = query.to === undefined ? '+' : String(Date.parse(query.to));
    if (query.before !== undefined) end = earlier(end, `(${cursorOf(query.before)}`);
    for (;;) {
      const batch = await this.redis.xrevrange(this.key, end, String(lowest), 'COUNT', SCAN_BATCH);
      for (const [id, fields] of batch) {
        const entry = parseEntry(id, fields);
        if (query.action === undefined || entry.action === query.action) yield entry;
      }
      const last = batch.at(-1);
      if (batch.length < SCAN_BATCH || last === undefined) return;
      end = `(${last[0]}`;
    }
  }

  private oldestKept(): number {
    return this.now() - this.retentionMs;
  }
}

function parseEntry(id: string, fields: string[]): AuditEntry {
  const json = fields[fields.indexOf('e') + 1];
  if (json === undefined) throw new Error(`Audit entry ${id} has no content`);
  return { id, at: timeOf(id), ...StoredEntry.parse(JSON.parse(json)) };
}

const timeOf = (id: string) => Number(id.slice(0, id.indexOf('-')));

/** `before` is an entry id from a page: anything else is refused, named. */
function cursorOf(before: string): string {
  if (!STREAM_ID.test(before)) {
    throw new AppError(
      'BAD_REQUEST',
      `before "${before}" is not an audit entry id: pass the id of the last entry of the previous page, e.g. 1764751672000-0.`,
    );
  }
  return before;
}

/** The lower of two XREVRANGE end bounds: `+`, a time in ms, or `(<id>` (exclusive). */
function earlier(a: string, b: string): string {
  if (a === '+') return b;
  const msOf = (bound: string) => Number(bound.replace(/^\(/, '').split('-')[0]);
  // At the same millisecond the exclusive id bound is the stricter one.
  return msOf(a) < msOf(b) ? a : b;
}
