import type { Redis } from 'ioredis';
import { z } from 'zod';
import { CsatQuery, type CsatReport, Metric } from '../contract/analytics.ts';
import { AppError } from '../errors.ts';
import type { SurveySignal } from '../sdk/runner.ts';
import { toCsv } from './csv.ts';

/** The run's facts the engine adds to a question's survey signal. */
export interface SurveyFacts {
  workflowId: string;
  nodeId: string;
  runId: string;
  /** When the question was asked or answered (ms since epoch); its UTC day is the bucket. */
  at: number;
  conversationId: string;
  contactId: string;
  agent?: string;
  channel?: string;
  /** The channel connection the run came through; absent on the generic contract. */
  connection?: string;
  /** The platform's inbox or number within that connection, when it has one. */
  inbox?: string;
}

export interface AnalyticsStoreOptions {
  /** The clock for the default date range. */
  now?: () => number;
}

const DAY_MS = 86_400_000;
const MAX_RANGE_DAYS = 400;
const DEFAULT_RANGE_DAYS = 30;
const UNKNOWN = 'unknown';

/**
 * Survey analytics (CSAT, NPS, CES), counted when a signal is recorded so a report reads
 * counters, never runs. Keys (all under `prefix`): `an:<workflow id>:*`, described in the key
 * map (`engine/src/runtime/README.md`). The day counters hold distributions, not sums, so CSAT
 * works for any benchmark; an answer without an agent, channel, connection or inbox is counted
 * under "unknown", and so is one counted before its breakdown existed.
 * A report reads one pipeline of one HGETALL per day, after one small read of the questions.
 */
export class AnalyticsStore {
  private readonly now: () => number;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    options: AnalyticsStoreOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /**
   * The writes that count a signal. The run runtime applies them in the same atomic write as
   * the step's outcome, which makes them happen exactly once: no repeat marker is needed.
   */
  countCommands(signal: SurveySignal, facts: SurveyFacts): Array<[string, ...string[]]> {
    const { value, answer } = answerOf(signal, facts);
    const day = this.dayKey(facts.workflowId, dayOf(facts.at), facts.nodeId);
    const commands: Array<[string, ...string[]]> = [
      [
        'HSET',
        this.workflowKey(facts.workflowId, 'questions'),
        facts.nodeId,
        JSON.stringify({ metric: signal.metric, scale: signal.scale }),
      ],
      ['ZADD', this.workflowKey(facts.workflowId, 'first-signal'), 'LT', String(facts.at), facts.nodeId],
    ];
    if (value === null || answer === null) {
      commands.push(['HINCRBY', day, 'asked', '1']);
      return commands;
    }
    commands.push(
      ['HINCRBY', day, `v:${value}`, '1'],
      ...breakdowns.map(({ field, nameOf }): [string, ...string[]] => [
        'HINCRBY',
        day,
        `${field}:${value}|${nameOf(facts) ?? ''}`,
        '1',
      ]),
      ['ZADD', this.workflowKey(facts.workflowId, 'answers'), String(facts.at), JSON.stringify(answer)],
    );
    return commands;
  }

  async csat(workflowId: string, query: CsatQuery): Promise<CsatReport> {
    const parsed = parseQuery(query);
    const days = this.daysOf(parsed);
    const { nodeId, question } = await this.questionOf(workflowId, parsed.nodeId);
    const benchmark = parsed.benchmark ?? question.scale.max - 1;

    const dayCounts = nodeId === null ? days.map(() => emptyDay()) : await this.readDays(workflowId, nodeId, days);
    const total = new Distribution();
    const groups = emptyGroups();
    let asked = 0;
    for (const counts of dayCounts) {
      asked += counts.asked;
      total.addAll(counts.values);
      for (const { name } of breakdowns) mergeInto(groups[name], counts.groups[name]);
    }
    const stats = (distribution: Distribution) => ({
      answered: distribution.count,
      score: round(scoreOf(question.metric, distribution, benchmark), 2),
      average: round(distribution.mean, 2),
    });
    const breakdown = (groups: Map<string, Distribution>) =>
      [...groups]
        .map(([key, distribution]) => ({ key, ...stats(distribution) }))
        .sort((a, b) => b.answered - a.answered || a.key.localeCompare(b.key));

    return {
      workflowId,
      nodeId,
      metric: question.metric,
      scale: question.scale,
      benchmark,
      from: days[0] ?? null,
      to: days.at(-1) ?? null,
      asked,
      responseRate: asked === 0 ? null : round(total.count / asked, 4),
      ...stats(total),
      distribution: total.histogram(question.scale),
      byDay: days.map((day, index) => {
        const counts = dayCounts[index] ?? emptyDay();
        return { key: day, asked: counts.asked, ...stats(counts.values) };
      }),
      byAgent: breakdown(groups.byAgent),
      byChannel: breakdown(groups.byChannel),
      byConnection: breakdown(groups.byConnection),
      byInbox: breakdown(groups.byInbox),
    };
  }

  /** Every answer in the range (of `query.nodeId` only, when given), oldest first, as CSV. */
  async answersCsv(workflowId: string, query: CsatQuery): Promise<string> {
    const parsed = parseQuery(query);
    const days = this.daysOf(parsed);
    await this.requireQuestion(workflowId, parsed.nodeId);
    const first = days[0];
    const last = days.at(-1);
    const members =
      first === undefined || last === undefined
        ? []
        : await this.redis.zrangebyscore(
            this.workflowKey(workflowId, 'answers'),
            Date.parse(first),
            Date.parse(last) + DAY_MS - 1,
          );
    const rows = members
      .map((raw) => StoredAnswer.parse(JSON.parse(raw)))
      .filter((answer) => parsed.nodeId === undefined || answer.nodeId === parsed.nodeId)
      .map((answer) => [
        new Date(answer.at).toISOString(),
        answer.runId,
        answer.conversationId,
        answer.contactId,
        answer.agent,
        answer.channel,
        answer.connection,
        answer.inbox,
        answer.nodeId,
        answer.metric,
        answer.value,
      ]);
    return toCsv(CSV_HEADER, rows);
  }

  /**
   * The asked question: `requested`, else the one signalled first; its metric and scale. Read
   * field by field (HGET), never looked up in a hash read whole: a node id may be any string,
   * "__proto__" or "constructor" included.
   */
  private async questionOf(
    workflowId: string,
    requested: string | undefined,
  ): Promise<{ nodeId: string | null; question: Question }> {
    const nodeId = requested ?? (await this.redis.zrange(this.workflowKey(workflowId, 'first-signal'), 0, 0))[0];
    if (nodeId === undefined) return { nodeId: null, question: DEFAULT_QUESTION };
    const raw = await this.redis.hget(this.workflowKey(workflowId, 'questions'), nodeId);
    if (raw === null) throw await this.unknownQuestion(workflowId, nodeId);
    return { nodeId, question: Question.parse(JSON.parse(raw)) };
  }

  /** Refuses a `nodeId` that names no question of the workflow that has asked. */
  private async requireQuestion(workflowId: string, nodeId: string | undefined): Promise<void> {
    if (nodeId === undefined) return;
    if ((await this.redis.hexists(this.workflowKey(workflowId, 'questions'), nodeId)) === 0) {
      throw await this.unknownQuestion(workflowId, nodeId);
    }
  }

  private async unknownQuestion(workflowId: string, nodeId: string): Promise<AppError> {
    const known = (await this.redis.hkeys(this.workflowKey(workflowId, 'questions'))).sort();
    const reported =
      known.length === 0
        ? 'none of its questions has asked a contact yet'
        : `the questions it reports are ${known
            .slice(0, 10)
            .map((id) => `"${id}"`)
            .join(', ')}${known.length > 10 ? ', …' : ''}`;
    return new AppError(
      'NOT_FOUND',
      `nodeId "${nodeId}" is not a survey question of workflow "${workflowId}": ${reported}. A question is reported once it has asked a contact.`,
    );
  }

  private async readDays(workflowId: string, nodeId: string, days: string[]): Promise<DayCounts[]> {
    const pipeline = this.redis.pipeline();
    for (const day of days) pipeline.hgetall(this.dayKey(workflowId, day, nodeId));
    const replies = await pipeline.exec();
    if (replies === null) throw new Error('Redis pipeline was aborted.');
    return replies.map(([error, fields]) => {
      if (error) throw error;
      return parseDay(z.record(z.string(), z.string()).parse(fields));
    });
  }

  /** The inclusive list of UTC days the query covers (default: the last 30 days to today). */
  private daysOf(query: CsatQuery): string[] {
    const today = Date.parse(dayOf(this.now()));
    const to = query.to ? Date.parse(query.to) : query.from ? Math.max(today, Date.parse(query.from)) : today;
    const from = query.from ? Date.parse(query.from) : to - (DEFAULT_RANGE_DAYS - 1) * DAY_MS;
    if (from > to) throw new AppError('BAD_REQUEST', `"from" (${dayOf(from)}) is after "to" (${dayOf(to)}).`);
    const count = (to - from) / DAY_MS + 1;
    if (count > MAX_RANGE_DAYS) {
      throw new AppError(
        'BAD_REQUEST',
        `The date range covers ${count} days; ask for at most ${MAX_RANGE_DAYS} days at a time.`,
      );
    }
    return Array.from({ length: count }, (_, index) => dayOf(from + index * DAY_MS));
  }

  private key(name: string): string {
    return `${this.prefix}${name}`;
  }

  private workflowKey(workflowId: string, part: string): string {
    return this.key(`an:${workflowId}:${part}`);
  }

  private dayKey(workflowId: string, day: string, nodeId: string): string {
    return this.workflowKey(workflowId, `day:${day}:${nodeId}`);
  }
}

const CSV_HEADER = [
  'date',
  'runId',
  'conversationId',
  'contactId',
  'agent',
  'channel',
  'connection',
  'inbox',
  'nodeId',
  'metric',
  'value',
];

/**
 * The report's breakdowns: each answer adds one to the day field `<field>:<value>|<name>`, its
 * name from the run's facts (empty when it has none). An inbox id is its platform's, unique
 * only within its connection, so an inbox is named `<connection>/<inbox>` (a connection id
 * holds no "/").
 */
const breakdowns = [
  { name: 'byAgent', field: 'a', nameOf: (facts: SurveyFacts) => facts.agent },
  { name: 'byChannel', field: 'c', nameOf: (facts: SurveyFacts) => facts.channel },
  { name: 'byConnection', field: 'n', nameOf: (facts: SurveyFacts) => facts.connection },
  {
    name: 'byInbox',
    field: 'i',
    nameOf: (facts: SurveyFacts) =>
      facts.connection === undefined || facts.inbox === undefined ? undefined : `${facts.connection}/${facts.inbox}`,
  },
] as const;
type BreakdownName = (typeof breakdowns)[number]['name'];
type Groups = Record<BreakdownName, Map<string, Distribution>>;
const breakdownOfField = new Map<string, BreakdownName>(breakdowns.map(({ field, name }) => [field, name]));

const Question = z.object({ metric: Metric, scale: z.object({ min: z.number(), max: z.number() }) });
type Question = z.infer<typeof Question>;
const DEFAULT_QUESTION: Question = { metric: 'csat', scale: { min: 1, max: 5 } };

const StoredAnswer = z.object({
  at: z.number(),
  runId: z.string(),
  conversationId: z.string(),
  contactId: z.string(),
  agent: z.string(),
  channel: z.string(),
  // Answers stored before connections were counted have neither.
  connection: z.string().default(''),
  inbox: z.string().default(''),
  nodeId: z.string(),
  metric: Metric,
  value: z.number(),
});
type StoredAnswer = z.output<typeof StoredAnswer>;

/** How many answers had each value. */
class Distribution {
  private readonly counts = new Map<number, number>();

  add(value: number, count: number): void {
    const sum = (this.counts.get(value) ?? 0) + count;
    if (sum === 0) this.counts.delete(value);
    else this.counts.set(value, sum);
  }

  /** These answers without those of `parts`, each a share of them. */
  minus(parts: Iterable<Distribution>): Distribution {
    const rest = new Distribution();
    rest.addAll(this);
    for (const part of parts) for (const [value, count] of part.counts) rest.add(value, -count);
    return rest;
  }

  addAll(other: Distribution): void {
    for (const [value, count] of other.counts) this.add(value, count);
  }

  get count(): number {
    let total = 0;
    for (const count of this.counts.values()) total += count;
    return total;
  }

  /** How many answers satisfy `predicate`. */
  countWhere(predicate: (value: number) => boolean): number {
    let total = 0;
    for (const [value, count] of this.counts) if (predicate(value)) total += count;
    return total;
  }

  get mean(): number | null {
    const count = this.count;
    if (count === 0) return null;
    let sum = 0;
    for (const [value, n] of this.counts) sum += value * n;
    return sum / count;
  }

  /** Every value of a small integer scale (zeros included) plus any other value seen, ascending. */
  histogram(scale: { min: number; max: number }): Array<{ value: number; count: number }> {
    const values = new Set(this.counts.keys());
    if (Number.isInteger(scale.min) && Number.isInteger(scale.max) && scale.max - scale.min <= 100) {
      for (let value = scale.min; value <= scale.max; value++) values.add(value);
    }
    return [...values].sort((a, b) => a - b).map((value) => ({ value, count: this.counts.get(value) ?? 0 }));
  }
}

interface DayCounts {
  asked: number;
  values: Distribution;
  groups: Groups;
}

function emptyGroups(): Groups {
  return { byAgent: new Map(), byChannel: new Map(), byConnection: new Map(), byInbox: new Map() };
}

function emptyDay(): DayCounts {
  return { asked: 0, values: new Distribution(), groups: emptyGroups() };
}

function parseDay(fields: Record<string, string>): DayCounts {
  const day = emptyDay();
  for (const [field, text] of Object.entries(fields)) {
    const count = Number(text);
    const colon = field.indexOf(':');
    const breakdown = colon > 0 ? breakdownOfField.get(field.slice(0, colon)) : undefined;
    if (field === 'asked') day.asked = count;
    else if (field.startsWith('v:')) day.values.add(Number(field.slice(2)), count);
    else if (breakdown) addGrouped(day.groups[breakdown], field.slice(colon + 1), count);
  }
  // A day counted before a breakdown existed has answers without its fields: they are "unknown".
  for (const { name } of breakdowns) {
    const rest = day.values.minus(day.groups[name].values());
    if (rest.count > 0) groupOf(day.groups[name], UNKNOWN).addAll(rest);
  }
  return day;
}

/** `field` is `<value>|<name>`; a number never holds "|", so the first one splits. */
function addGrouped(groups: Map<string, Distribution>, field: string, count: number): void {
  const bar = field.indexOf('|');
  groupOf(groups, field.slice(bar + 1) || UNKNOWN).add(Number(field.slice(0, bar)), count);
}

function mergeInto(target: Map<string, Distribution>, source: Map<string, Distribution>): void {
  for (const [name, distribution] of source) groupOf(target, name).addAll(distribution);
}

function groupOf(groups: Map<string, Distribution>, name: string): Distribution {
  let distribution = groups.get(name);
  if (!distribution) {
    distribution = new Distribution();
    groups.set(name, distribution);
  }
  return distribution;
}

/** CSAT: % at or above the benchmark; NPS: % promoters (9–10) − % detractors (0–6); CES: mean. */
function scoreOf(metric: Metric, distribution: Distribution, benchmark: number): number | null {
  const count = distribution.count;
  if (count === 0) return null;
  switch (metric) {
    case 'csat':
      return (distribution.countWhere((value) => value >= benchmark) / count) * 100;
    case 'nps':
      return (
        ((distribution.countWhere((value) => value >= 9) - distribution.countWhere((value) => value <= 6)) / count) *
        100
      );
    case 'ces':
      return distribution.mean;
  }
}

function round(value: number | null, digits: number): number | null {
  if (value === null) return null;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function parseQuery(query: CsatQuery): CsatQuery {
  const result = CsatQuery.safeParse(query);
  if (!result.success) throw new AppError('BAD_REQUEST', `Invalid report query: ${z.prettifyError(result.error)}`);
  return result.data;
}

/** The signal's value (null when asked), refused when not a number, and the answer row it makes. */
function answerOf(signal: SurveySignal, facts: SurveyFacts): { value: number | null; answer: StoredAnswer | null } {
  const value = signal.kind === 'answered' ? signal.value : null;
  if (value !== null && !Number.isFinite(value)) {
    throw new AppError('BAD_REQUEST', `Survey answer for node "${facts.nodeId}" is not a number.`);
  }
  if (value === null) return { value, answer: null };
  return {
    value,
    answer: {
      at: facts.at,
      runId: facts.runId,
      conversationId: facts.conversationId,
      contactId: facts.contactId,
      agent: facts.agent ?? '',
      channel: facts.channel ?? '',
      connection: facts.connection ?? '',
      inbox: facts.inbox ?? '',
      nodeId: facts.nodeId,
      metric: signal.metric,
      value,
    },
  };
}

function dayOf(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}
