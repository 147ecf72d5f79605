import { setTimeout as sleep } from 'node:timers/promises';
import {
  type Connection,
  ConnectionTypeError,
  defineRunner,
  type GoogleConnection,
  type Json,
  type StepContext,
  type StepData,
  type StepOutcome,
} from '@convoflow/engine';
import { type AddRowData, addRow, normaliseHeader } from './definition.ts';
import { readSheetsFailure, type SheetsFailure } from './google-error.ts';
import { quoteSheet, sheetsClient } from './sheets-client.ts';

type Cell = string | number | boolean;

const MAX_ATTEMPTS = 5;
const BACKOFF_BASE_MS = 500;
/** Sheets' quota is per minute: waiting up to a minute within the step is still worth it. */
const MAX_RETRY_AFTER_MS = 60_000;
/** How far back a re-executed step looks for the row an earlier attempt may have appended. */
const RECENT_ROWS = 50;

export const addRowRunner = defineRunner(addRow, {
  async run(ctx) {
    let connection: Connection;
    try {
      connection = await ctx.services.connections.get(ctx.data.connectionId);
    } catch (error) {
      return failure(error instanceof Error ? error.message : String(error));
    }
    if (connection.type !== 'google') {
      return failure(new ConnectionTypeError(connection.id, connection.type, 'google').message);
    }
    // Filled in by `appendRow` once the row is built: the run log shows it even when Google refuses it.
    const exchange: StepData = {};
    try {
      const outcome = await appendRow(ctx, connection, exchange);
      // Google answered: it took the key, whatever it said about the sheet.
      await ctx.services.connections.reportAccepted(connection.id);
      return outcome;
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      const failed = readSheetsFailure(error);
      const reason = explain(failed, ctx.data, connection);
      if (refusesCredentials(failed)) await ctx.services.connections.reportRefused(connection.id, reason);
      return { ...failure(reason), ...exchange, received: googleAnswer(failed) };
    }
  },
});

async function appendRow(
  ctx: StepContext<AddRowData>,
  connection: GoogleConnection,
  exchange: StepData,
): Promise<StepOutcome> {
  const { spreadsheetId, sheet } = ctx.data;
  const api = sheetsClient(connection, ctx.services.allowPrivateNetwork);
  const retrying = <T>(call: () => Promise<T>) => withRetries(ctx, call);

  const header = await retrying(() =>
    api.spreadsheets.values.get({ spreadsheetId, range: `${quoteSheet(sheet)}!1:1`, majorDimension: 'ROWS' }),
  );
  const headers = (header.data.values?.[0] ?? []).map((cell) => String(cell ?? ''));
  if (headers.every((cell) => cell.trim() === '')) {
    return failure(`Row 1 of sheet "${sheet}" is empty: add the column headers (${columnList(ctx.data)}) there first.`);
  }
  const built = buildRow(ctx, headers);
  if (typeof built === 'string') return failure(built);
  const { row, named } = built;
  exchange.sent = { spreadsheet: spreadsheetId, sheet, row: named };

  if (ctx.mayHaveRunBefore) {
    const existing = await retrying(() =>
      api.spreadsheets.values.get({ spreadsheetId, range: quoteSheet(sheet), majorDimension: 'ROWS' }),
    );
    const recent = (existing.data.values ?? []).slice(1).slice(-RECENT_ROWS);
    if (recent.some((candidate) => sameRow(candidate, row))) {
      return {
        type: 'exit',
        exit: 'success',
        note: 'an earlier attempt of this step already appended this row; not appended again',
        ...exchange,
      };
    }
  }

  const appended = await retrying(() =>
    api.spreadsheets.values.append({
      spreadsheetId,
      range: quoteSheet(sheet),
      valueInputOption: 'USER_ENTERED',
      insertDataOption: 'INSERT_ROWS',
      requestBody: { majorDimension: 'ROWS', values: [row] },
    }),
  );
  const where = appended.data.updates?.updatedRange;
  const received = { updatedRange: where ?? null, updatedRows: appended.data.updates?.updatedRows ?? null };
  return {
    type: 'exit',
    exit: 'success',
    note: where ? `appended ${where}` : `appended a row to "${sheet}"`,
    ...exchange,
    received,
  };
}

/**
 * The row in header order, and by the sheet's header of each column (for the run log), or a
 * message naming the columns the sheet lacks.
 */
function buildRow(
  ctx: StepContext<AddRowData>,
  headers: string[],
): { row: Cell[]; named: Record<string, Cell> } | string {
  const index = new Map<string, number>();
  headers.forEach((header, i) => {
    const key = normaliseHeader(header);
    if (key !== '' && !index.has(key)) index.set(key, i);
  });
  const missing = ctx.data.columns.filter((entry) => !index.has(normaliseHeader(entry.column)));
  if (missing.length > 0) {
    const names = missing.map((entry) => `"${entry.column}"`).join(', ');
    const present = headers.filter((header) => header.trim() !== '').map((header) => `"${header}"`);
    return `Sheet "${ctx.data.sheet}" has no column ${names} in row 1; its headers are ${present.join(', ')}. Rename the column in the step or add the header to the sheet.`;
  }
  const positions = ctx.data.columns.map((entry) => index.get(normaliseHeader(entry.column)) ?? 0);
  const row: Cell[] = Array.from({ length: Math.max(...positions) + 1 }, () => '');
  const named: Record<string, Cell> = {};
  ctx.data.columns.forEach((entry, i) => {
    const position = positions[i]!;
    row[position] = cellOf(entry.value, ctx.renderValue(entry.value));
    named[headers[position] ?? entry.column] = row[position];
  });
  return { row, named };
}

/**
 * Numbers and booleans stay typed. Text is entered as typed by a user (USER_ENTERED), so a
 * value that came from a variable and starts like a formula ("=HYPERLINK(…)" from a contact)
 * is forced to text with a leading apostrophe; a formula the operator wrote in the step
 * itself is kept.
 */
function cellOf(template: string, value: unknown): Cell {
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'boolean') return value;
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const operatorFormula = template.trimStart().startsWith('=');
  return !operatorFormula && /^[=+@]/.test(text) ? `'${text}` : text;
}

/** Compares what the sheet shows with what would be written; trailing empty cells do not count. */
function sameRow(existing: unknown[], row: Cell[]): boolean {
  const shown = (cells: unknown[]) => {
    const texts = cells.map((cell) =>
      String(cell ?? '')
        .replace(/^'/, '')
        .trim(),
    );
    while (texts.length > 0 && texts.at(-1) === '') texts.pop();
    return texts;
  };
  const a = shown(existing);
  const b = shown(row);
  return a.length === b.length && a.every((cell, i) => cell === b[i]);
}

/** Retries 429, 5xx and network errors with backoff, honouring `Retry-After`. */
async function withRetries<T>(ctx: StepContext<AddRowData>, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      const failed = readSheetsFailure(error);
      const retryable =
        !failed.refused && !failed.badKey && (failed.status === null || failed.status === 429 || failed.status >= 500);
      const wait = retryAfterMs(failed.retryAfter) ?? backoff(attempt);
      if (!retryable || attempt >= MAX_ATTEMPTS || wait > MAX_RETRY_AFTER_MS) throw error;
      ctx.log.warn(
        `Google Sheets ${failed.status === null ? 'unreachable' : `answered ${failed.status}`} (${failed.message}); retrying in ${wait} ms`,
      );
      await sleep(wait, undefined, { signal: ctx.signal });
    }
  }
}

function explain(failed: SheetsFailure, data: AddRowData, connection: GoogleConnection): string {
  const email = connection.serviceAccountKey.client_email;
  if (failed.refused) {
    return `Google Sheets was not called: ${failed.message}. Check the apiEndpoint of connection "${connection.id}".`;
  }
  if (failed.badKey) {
    return `Google Sheets was not called: the private key of connection "${connection.id}" cannot sign (${failed.message}). Add the connection again with the whole JSON key file Google gave you.`;
  }
  const google = `Google said: ${failed.message}`;
  switch (failed.status) {
    case null:
      return `Google Sheets could not be reached after ${MAX_ATTEMPTS} attempts (${failed.message}).`;
    case 401:
      return `Google rejected the credentials of ${email}: check the service-account key in connection "${connection.id}". ${google}`;
    case 403:
      return `${email} may not edit spreadsheet "${data.spreadsheetId}": share the spreadsheet with ${email} as an Editor. ${google}`;
    case 404:
      return `Spreadsheet "${data.spreadsheetId}" was not found: check the id (the part after /d/ in its URL). ${google}`;
    case 429:
      return `Google Sheets quota exceeded (about 60 writes a minute per service account) and retrying within the step did not help. ${google}`;
  }
  if (failed.status === 400 && /parse range/i.test(failed.message)) {
    return `Spreadsheet "${data.spreadsheetId}" has no tab named "${data.sheet}": check the tab name. ${google}`;
  }
  return `Google Sheets answered HTTP ${failed.status}. ${google}`;
}

/** Google's status and message, as the run log shows them; only the message when no answer came. */
function googleAnswer(failed: SheetsFailure): Json {
  return failed.status === null ? { error: failed.message } : { status: failed.status, error: failed.message };
}

/** Google refused the key (401/403) or the key cannot sign: shown on the connection, not only in this run. */
function refusesCredentials(failed: SheetsFailure): boolean {
  return failed.badKey || failed.status === 401 || failed.status === 403;
}

function failure(note: string): StepOutcome {
  return { type: 'exit', exit: 'failure', note };
}

function columnList(data: AddRowData): string {
  return data.columns.map((entry) => entry.column).join(', ');
}

function retryAfterMs(value: string | undefined): number | null {
  if (value === undefined) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

function backoff(attempt: number): number {
  const ceiling = BACKOFF_BASE_MS * 2 ** (attempt - 1);
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}
