import { createPublicKey, generateKeyPairSync, type KeyObject, randomUUID, verify } from 'node:crypto';
import { startLocalServer } from '../support/http-server.ts';

/**
 * Stands in for the Google Sheets API v4 over real HTTP on 127.0.0.1: `values.get` and
 * `values.append` with Google's response and error shapes, in-memory spreadsheets, and the
 * authentication a service account uses with a self-signed JWT (RS256, `scope` claim) — the
 * signature is verified against the public key of each trusted service account.
 * Point a Google connection's `apiEndpoint` at `url`.
 */

export const SHEETS_SCOPE = 'https://www.googleapis.com/auth/spreadsheets';

export interface TestServiceAccountKey {
  type: 'service_account';
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  token_uri: string;
  [key: string]: unknown;
}

/** A fresh RSA service-account key in Google's JSON key-file shape. */
export function createServiceAccountKey(name = `convoflow-test-${randomUUID().slice(0, 8)}`): TestServiceAccountKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    type: 'service_account',
    project_id: 'convoflow-test',
    private_key_id: randomUUID().replace(/-/g, ''),
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: `${name}@convoflow-test.iam.gserviceaccount.com`,
    client_id: String(Date.now()),
    token_uri: 'https://oauth2.googleapis.com/token',
  };
}

export type Cell = string | number | boolean;
export type SheetRequestKind = 'get' | 'append';

export interface SheetsRequest {
  kind: SheetRequestKind | 'unknown';
  method: string;
  /** Path and query as received. */
  url: string;
  spreadsheetId: string | null;
  /** The A1 range, decoded. */
  range: string | null;
  /** The service account's e-mail when the bearer token verified, else null. */
  authenticatedAs: string | null;
  /** Parsed JSON body (`{ values }` of an append). */
  body: unknown;
  status: number;
}

export interface GoogleSheetsStandIn {
  /** e.g. `http://127.0.0.1:41234`: the connection's `apiEndpoint`. */
  url: string;
  /** Accept JWTs signed by this key (keys passed to `startGoogleSheetsStandIn` are trusted already). */
  trust(key: { client_email: string; private_key: string }): void;
  /**
   * Adds (or replaces) a spreadsheet: `{ CSAT: [['Conversation', 'Rating']] }`, row 1 = headers.
   * `sharedWith` lists the service accounts that may edit it; default: every trusted one.
   */
  addSpreadsheet(id: string, sheets: Record<string, Cell[][]>, options?: { sharedWith?: string[] }): void;
  /** The sheet's grid as stored, header row included; appended cells as Sheets would type them. */
  rows(spreadsheetId: string, sheet: string): Cell[][];
  /**
   * The next `times` requests (of `kind`, default any) answer `status` with Google's error body;
   * `retryAfterSeconds` adds a `Retry-After` header.
   */
  failNext(status: number, times: number, options?: { kind?: SheetRequestKind; retryAfterSeconds?: number }): void;
  /** Every request received, in order. */
  readonly requests: readonly SheetsRequest[];
  /** How many requests of a kind arrived (failed ones included). */
  count(kind?: SheetRequestKind): number;
  close(): Promise<void>;
}

interface Spreadsheet {
  sheets: Map<string, Cell[][]>;
  sharedWith: Set<string> | null;
}

interface Failure {
  status: number;
  remaining: number;
  kind: SheetRequestKind | undefined;
  retryAfterSeconds: number | undefined;
}

type Reply = { status: number; body: unknown; headers?: Record<string, string> };

const ROUTE = /^\/v4\/spreadsheets\/([^/]+)\/values\/([^?]+?)(:append)?(?:\?.*)?$/;

export async function startGoogleSheetsStandIn(
  options: { serviceAccounts?: Array<{ client_email: string; private_key: string }> } = {},
): Promise<GoogleSheetsStandIn> {
  const publicKeys = new Map<string, KeyObject>();
  const spreadsheets = new Map<string, Spreadsheet>();
  const requests: SheetsRequest[] = [];
  const failures: Failure[] = [];

  const trust = (key: { client_email: string; private_key: string }) => {
    publicKeys.set(key.client_email, createPublicKey(key.private_key));
  };
  for (const key of options.serviceAccounts ?? []) trust(key);

  const server = await startLocalServer(({ method, url, headers, rawBody }) => {
    const match = ROUTE.exec(url);
    const kind: SheetsRequest['kind'] = !match ? 'unknown' : match[3] ? 'append' : 'get';
    const body = parseJson(rawBody);
    const record: SheetsRequest = {
      kind,
      method,
      url,
      spreadsheetId: match ? decodeURIComponent(match[1]!) : null,
      range: match ? decodeURIComponent(match[2]!) : null,
      authenticatedAs: null,
      body,
      status: 0,
    };
    requests.push(record);
    const reply = answer(record, headers.authorization, new URL(url, 'http://stand-in').searchParams);
    record.status = reply.status;
    return reply;
  });

  function answer(request: SheetsRequest, authorization: string | undefined, query: URLSearchParams): Reply {
    if (request.kind === 'unknown' || request.spreadsheetId === null || request.range === null) {
      return googleError(404, 'NOT_FOUND', `The stand-in does not serve ${request.method} ${request.url}.`);
    }
    if ((request.kind === 'get') !== (request.method === 'GET')) {
      return googleError(405, 'INVALID_ARGUMENT', `Method ${request.method} is not allowed here.`);
    }
    const caller = authenticate(authorization, publicKeys);
    if (typeof caller !== 'string') return caller;
    request.authenticatedAs = caller;

    const failure = failures.find((entry) => entry.remaining > 0 && (!entry.kind || entry.kind === request.kind));
    if (failure) {
      failure.remaining -= 1;
      return injectedFailure(failure);
    }

    const spreadsheet = spreadsheets.get(request.spreadsheetId);
    if (!spreadsheet) return googleError(404, 'NOT_FOUND', 'Requested entity was not found.');
    const shared = spreadsheet.sharedWith ?? new Set(publicKeys.keys());
    if (!shared.has(caller)) return googleError(403, 'PERMISSION_DENIED', 'The caller does not have permission');
    const range = parseRange(request.range);
    const grid = range ? spreadsheet.sheets.get(range.sheet) : undefined;
    if (!range || !grid) return googleError(400, 'INVALID_ARGUMENT', `Unable to parse range: ${request.range}`);

    if (request.kind === 'get') return readValues(range, grid, query);
    return appendValues(request.spreadsheetId, range, grid, request.body, query);
  }

  return {
    url: server.url,
    trust,
    addSpreadsheet(id, sheets, options = {}) {
      spreadsheets.set(id, {
        sheets: new Map(Object.entries(sheets).map(([name, grid]) => [name, grid.map((row) => [...row])])),
        sharedWith: options.sharedWith ? new Set(options.sharedWith) : null,
      });
    },
    rows(spreadsheetId, sheet) {
      const grid = spreadsheets.get(spreadsheetId)?.sheets.get(sheet);
      if (!grid) throw new Error(`The stand-in has no sheet "${sheet}" in spreadsheet "${spreadsheetId}".`);
      return grid.map((row) => [...row]);
    },
    failNext(status, times, options = {}) {
      failures.push({ status, remaining: times, kind: options.kind, retryAfterSeconds: options.retryAfterSeconds });
    },
    requests,
    count: (kind) => requests.filter((request) => !kind || request.kind === kind).length,
    close: () => server.close(),
  };
}

/** The caller's e-mail, or Google's 401 for a missing, forged, expired or unscoped token. */
function authenticate(authorization: string | undefined, publicKeys: Map<string, KeyObject>): string | Reply {
  const unauthenticated = (why: string) =>
    googleError(
      401,
      'UNAUTHENTICATED',
      `Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. (${why})`,
    );
  const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
  if (!token) return unauthenticated('no bearer token');
  const [encodedHeader, encodedPayload, signature] = token.split('.');
  if (!encodedHeader || !encodedPayload || !signature) return unauthenticated('the token is not a JWT');
  const header = parseJson(Buffer.from(encodedHeader, 'base64url').toString('utf8'));
  const payload = parseJson(Buffer.from(encodedPayload, 'base64url').toString('utf8'));
  if (!isRecord(header) || header.alg !== 'RS256') return unauthenticated('the token is not signed with RS256');
  if (!isRecord(payload) || typeof payload.iss !== 'string') return unauthenticated('the token has no issuer');
  const key = publicKeys.get(payload.iss);
  if (!key) return unauthenticated(`unknown service account ${payload.iss}`);
  const signed = Buffer.from(`${encodedHeader}.${encodedPayload}`);
  if (!verify('RSA-SHA256', signed, key, Buffer.from(signature, 'base64url'))) {
    return unauthenticated('the signature does not match the service account key');
  }
  const now = Math.floor(Date.now() / 1000);
  if (typeof payload.exp !== 'number' || payload.exp < now) return unauthenticated('the token expired');
  if (typeof payload.iat !== 'number' || payload.iat > now + 60)
    return unauthenticated('the token is issued in the future');
  if (payload.sub !== undefined && payload.sub !== payload.iss) return unauthenticated('subject and issuer differ');
  const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
  const audienceOk = payload.aud === 'https://sheets.googleapis.com/';
  if (!scopes.includes(SHEETS_SCOPE) && !audienceOk) {
    return googleError(403, 'PERMISSION_DENIED', 'Request had insufficient authentication scopes.');
  }
  return payload.iss;
}

interface A1Range {
  sheet: string;
  /** 0-based, inclusive; `Infinity` for an open end. */
  firstRow: number;
  lastRow: number;
  firstColumn: number;
  lastColumn: number;
}

/** `'My sheet'!A1:C10`, `CSAT!1:1`, `CSAT!A:D`, `'Bob''s'`, `CSAT`. */
function parseRange(range: string): A1Range | null {
  let sheet: string;
  let rest: string;
  if (range.startsWith("'")) {
    const end = /^'((?:[^']|'')*)'(.*)$/.exec(range);
    if (!end) return null;
    sheet = end[1]!.replace(/''/g, "'");
    rest = end[2]!;
  } else {
    const bang = range.indexOf('!');
    sheet = bang === -1 ? range : range.slice(0, bang);
    rest = bang === -1 ? '' : range.slice(bang);
  }
  const whole = { sheet, firstRow: 0, lastRow: Infinity, firstColumn: 0, lastColumn: Infinity };
  if (rest === '') return whole;
  const cells = /^!([A-Z]*)(\d*)(?::([A-Z]*)(\d*))?$/i.exec(rest);
  if (!cells) return null;
  const [, c1 = '', r1 = '', c2, r2] = cells;
  const single = c2 === undefined && r2 === undefined;
  return {
    sheet,
    firstRow: r1 ? Number(r1) - 1 : 0,
    lastRow: single ? (r1 ? Number(r1) - 1 : Infinity) : r2 ? Number(r2) - 1 : Infinity,
    firstColumn: c1 ? columnIndex(c1) : 0,
    lastColumn: single ? (c1 ? columnIndex(c1) : Infinity) : c2 ? columnIndex(c2) : Infinity,
  };
}

function readValues(range: A1Range, grid: Cell[][], query: URLSearchParams): Reply {
  const majorDimension = query.get('majorDimension') ?? 'ROWS';
  const formatted = (query.get('valueRenderOption') ?? 'FORMATTED_VALUE') === 'FORMATTED_VALUE';
  const rows = grid
    .slice(range.firstRow, range.lastRow + 1)
    .map((row) => trimEnd(row.slice(range.firstColumn, range.lastColumn + 1)))
    .map((row) => (formatted ? row.map(formatCell) : row));
  while (rows.length > 0 && rows.at(-1)!.length === 0) rows.pop();
  const width = Math.max(1, ...rows.map((row) => row.length));
  const lastRow = Number.isFinite(range.lastRow) ? range.lastRow : range.firstRow + Math.max(rows.length, 1) - 1;
  const lastColumn = Number.isFinite(range.lastColumn) ? range.lastColumn : range.firstColumn + width - 1;
  return {
    status: 200,
    body: {
      range: a1(range.sheet, range.firstRow, range.firstColumn, lastRow, lastColumn),
      majorDimension,
      ...(rows.length > 0 ? { values: rows } : {}),
    },
  };
}

/** INSERT_ROWS after the last non-empty row, from the range's first column, values typed as USER_ENTERED would. */
function appendValues(
  spreadsheetId: string,
  range: A1Range,
  grid: Cell[][],
  body: unknown,
  query: URLSearchParams,
): Reply {
  const inputOption = query.get('valueInputOption');
  if (inputOption !== 'USER_ENTERED' && inputOption !== 'RAW') {
    return googleError(400, 'INVALID_ARGUMENT', "Invalid valueInputOption: must be 'RAW' or 'USER_ENTERED'.");
  }
  const values = isRecord(body) ? body.values : undefined;
  if (!isGrid(values)) {
    return googleError(
      400,
      'INVALID_ARGUMENT',
      'Invalid JSON payload received. "values" must be a list of lists of values.',
    );
  }
  let used = grid.length;
  while (used > 0 && trimEnd(grid[used - 1]!).length === 0) used -= 1;
  const tableRange = used > 0 ? a1(range.sheet, 0, range.firstColumn, used - 1, tableWidth(grid) - 1) : undefined;
  const typed = values.map((row) => row.map((cell) => (inputOption === 'USER_ENTERED' ? userEntered(cell) : cell)));
  grid.splice(used, 0, ...typed.map((row) => [...Array<Cell>(range.firstColumn).fill(''), ...row]));
  const width = Math.max(1, ...typed.map((row) => row.length));
  const updatedRange = a1(range.sheet, used, range.firstColumn, used + typed.length - 1, range.firstColumn + width - 1);
  return {
    status: 200,
    body: {
      spreadsheetId,
      ...(tableRange ? { tableRange } : {}),
      updates: {
        spreadsheetId,
        updatedRange,
        updatedRows: typed.length,
        updatedColumns: width,
        updatedCells: typed.reduce((sum, row) => sum + row.length, 0),
      },
    },
  };
}

/** How Sheets stores a typed-in value: numbers and booleans parsed, a leading `'` forces text. */
function userEntered(cell: Cell): Cell {
  if (typeof cell !== 'string') return cell;
  if (cell.startsWith("'")) return cell.slice(1);
  if (/^\s*-?\d+(\.\d+)?\s*$/.test(cell)) return Number(cell);
  if (/^(true|false)$/i.test(cell)) return cell.toLowerCase() === 'true';
  return cell;
}

function injectedFailure(failure: Failure): Reply {
  const retryAfter: Record<string, string> =
    failure.retryAfterSeconds === undefined ? {} : { 'retry-after': String(failure.retryAfterSeconds) };
  const reply = (status: string, message: string) => ({
    ...googleError(failure.status, status, message),
    headers: retryAfter,
  });
  if (failure.status === 429) {
    return reply(
      'RESOURCE_EXHAUSTED',
      "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute per user' of service 'sheets.googleapis.com'.",
    );
  }
  if (failure.status === 503) return reply('UNAVAILABLE', 'The service is currently unavailable.');
  if (failure.status >= 500) return reply('INTERNAL', 'Internal error encountered.');
  return reply('FAILED_PRECONDITION', `Injected failure ${failure.status}.`);
}

function googleError(code: number, status: string, message: string): Reply {
  return { status: code, body: { error: { code, message, status } } };
}

function formatCell(cell: Cell): string {
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  return String(cell);
}

function trimEnd(row: Cell[]): Cell[] {
  const copy = [...row];
  while (copy.length > 0 && (copy.at(-1) === '' || copy.at(-1) === undefined)) copy.pop();
  return copy;
}

function tableWidth(grid: Cell[][]): number {
  return Math.max(1, ...grid.map((row) => trimEnd(row).length));
}

function a1(sheet: string, firstRow: number, firstColumn: number, lastRow: number, lastColumn: number): string {
  const name = /^[A-Za-z0-9_]+$/.test(sheet) ? sheet : `'${sheet.replace(/'/g, "''")}'`;
  return `${name}!${columnName(firstColumn)}${firstRow + 1}:${columnName(lastColumn)}${lastRow + 1}`;
}

function columnIndex(name: string): number {
  return [...name.toUpperCase()].reduce((sum, ch) => sum * 26 + (ch.charCodeAt(0) - 64), 0) - 1;
}

function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

function isCell(value: unknown): value is Cell {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function isGrid(value: unknown): value is Cell[][] {
  return Array.isArray(value) && value.every((row) => Array.isArray(row) && row.every(isCell));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
