import { type GoogleConnection, testStepContext } from '@convoflow/engine';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createServiceAccountKey,
  type GoogleSheetsStandIn,
  startGoogleSheetsStandIn,
} from '../../test/stand-ins/google-sheets.ts';
import { addRow } from './definition.ts';
import { addRowRunner } from './run.ts';

const key = createServiceAccountKey('csat-writer');
const stranger = createServiceAccountKey('stranger');
let sheets: GoogleSheetsStandIn;
let connection: GoogleConnection;

const HEADERS = ['Conversation', 'Contact', 'Agent', 'Rating'];
const scope = { conversation: { id: 'conv-1' }, contact: { name: 'Ada' }, assignee: { name: 'Grace' }, rating: 4 };

function data(overrides: Record<string, unknown> = {}) {
  return addRow.schema.parse({
    connectionId: 'google',
    spreadsheetId: 'sheet-1',
    sheet: 'CSAT',
    columns: [
      { column: 'rating ', value: '$rating' },
      { column: 'Conversation', value: '$conversation.id' },
      { column: 'Agent', value: '$assignee.name' },
      { column: 'contact', value: '$contact.name' },
    ],
    ...overrides,
  });
}

/** The stand-in listens on loopback: reaching it takes `HTTP_ALLOW_PRIVATE=true`, as in a test install. */
const privateAllowed = { allowPrivateNetwork: true };

function context(
  options: {
    data?: ReturnType<typeof data>;
    mayHaveRunBefore?: boolean;
    scope?: object;
    connection?: GoogleConnection;
    allowPrivateNetwork?: boolean;
  } = {},
) {
  return testStepContext(options.data ?? data(), {
    scope: { ...scope, ...options.scope },
    connections: { google: options.connection ?? connection },
    mayHaveRunBefore: options.mayHaveRunBefore ?? false,
    services: { allowPrivateNetwork: options.allowPrivateNetwork ?? true },
  });
}

beforeAll(async () => {
  sheets = await startGoogleSheetsStandIn({ serviceAccounts: [key] });
  connection = { id: 'google', type: 'google', name: 'Google', serviceAccountKey: key, apiEndpoint: sheets.url };
});
afterAll(() => sheets.close());
beforeEach(() => {
  sheets.addSpreadsheet('sheet-1', { CSAT: [HEADERS] });
});

describe('googleSheets.addRow', () => {
  it('appends the row in header order, keeping numbers numbers, authenticated as the service account', async () => {
    const before = sheets.requests.length;
    const outcome = await addRowRunner.run(context());
    expect(outcome).toMatchObject({ type: 'exit', exit: 'success', note: 'appended CSAT!A2:D2' });
    expect(sheets.rows('sheet-1', 'CSAT')).toEqual([HEADERS, ['conv-1', 'Ada', 'Grace', 4]]);
    const mine = sheets.requests.slice(before);
    expect(mine.map((request) => [request.kind, request.status, request.authenticatedAs])).toEqual([
      ['get', 200, key.client_email],
      ['append', 200, key.client_email],
    ]);
    expect(mine[1]!.body).toEqual({ majorDimension: 'ROWS', values: [['conv-1', 'Ada', 'Grace', 4]] });
    expect(mine[1]!.url).toContain('valueInputOption=USER_ENTERED');
    expect(mine[1]!.url).toContain('insertDataOption=INSERT_ROWS');
  });

  it('reports the row as written, by the sheet’s headers, and Google’s answer for the run log', async () => {
    const outcome = await addRowRunner.run(context());
    expect(outcome).toMatchObject({
      sent: {
        spreadsheet: 'sheet-1',
        sheet: 'CSAT',
        row: { Rating: 4, Conversation: 'conv-1', Agent: 'Grace', Contact: 'Ada' },
      },
      received: { updatedRange: 'CSAT!A2:D2', updatedRows: 1 },
    });
  });

  it('reports the row it tried to write and Google’s status and message when Google refuses it', async () => {
    sheets.failNext(400, 1, { kind: 'append' });
    const outcome = await addRowRunner.run(context());
    expect(outcome).toMatchObject({
      exit: 'failure',
      sent: { sheet: 'CSAT', row: { Rating: 4 } },
      received: { status: 400, error: expect.any(String) },
    });
  });

  it('retries a 429 on the append and writes the row once', async () => {
    const appendsBefore = sheets.count('append');
    sheets.failNext(429, 1, { kind: 'append', retryAfterSeconds: 0 });
    const ctx = context();
    const outcome = await addRowRunner.run(ctx);
    expect(outcome).toMatchObject({ exit: 'success' });
    expect(sheets.count('append') - appendsBefore).toBe(2);
    expect(sheets.rows('sheet-1', 'CSAT')).toHaveLength(2);
    expect(ctx.warnings.join('\n')).toMatch(/answered 429/);
  });

  it('backs off after a 500 without Retry-After, then succeeds', async () => {
    sheets.failNext(500, 1, { kind: 'get' });
    expect(await addRowRunner.run(context())).toMatchObject({ exit: 'success' });
    expect(sheets.rows('sheet-1', 'CSAT')).toHaveLength(2);
  });

  it('takes the failure branch when Google keeps failing after the retries', async () => {
    sheets.failNext(503, 5, { kind: 'get', retryAfterSeconds: 0 });
    const outcome = await addRowRunner.run(context());
    expect(outcome).toMatchObject({ type: 'exit', exit: 'failure' });
    expect(outcome.type === 'exit' && outcome.note).toMatch(/HTTP 503/);
    expect(sheets.rows('sheet-1', 'CSAT')).toEqual([HEADERS]);
  });

  it('does not wait out a Retry-After longer than a minute: failure at once', async () => {
    sheets.failNext(429, 1, { kind: 'get', retryAfterSeconds: 120 });
    const getsBefore = sheets.count('get');
    const outcome = await addRowRunner.run(context());
    expect(outcome).toMatchObject({ exit: 'failure' });
    expect(outcome.note).toMatch(/quota exceeded/i);
    expect(sheets.count('get') - getsBefore).toBe(1);
  });

  it('fails with the missing header named and the sheet headers listed', async () => {
    const appendsBefore = sheets.count('append');
    const outcome = await addRowRunner.run(
      context({
        data: data({
          columns: [
            { column: 'Score', value: '$rating' },
            { column: 'Agent', value: 'x' },
          ],
        }),
      }),
    );
    expect(outcome).toMatchObject({ exit: 'failure' });
    expect(outcome.note).toContain('no column "Score"');
    expect(outcome.note).toContain('"Conversation", "Contact", "Agent", "Rating"');
    expect(sheets.count('append')).toBe(appendsBefore);
  });

  it('tells the operator to share the spreadsheet with the service account on 403', async () => {
    sheets.addSpreadsheet('private', { CSAT: [HEADERS] }, { sharedWith: [] });
    const outcome = await addRowRunner.run(context({ data: data({ spreadsheetId: 'private' }) }));
    expect(outcome).toMatchObject({ exit: 'failure' });
    expect(outcome.note).toContain(`share the spreadsheet with ${key.client_email}`);
  });

  it('names the spreadsheet id on 404 and the tab on an unknown sheet name', async () => {
    const missing = await addRowRunner.run(context({ data: data({ spreadsheetId: 'nope' }) }));
    expect(missing.note).toMatch(/Spreadsheet "nope" was not found/);
    const wrongTab = await addRowRunner.run(context({ data: data({ sheet: 'Answers' }) }));
    expect(wrongTab.note).toMatch(/no tab named "Answers"/);
  });

  it('fails on credentials Google does not know, and on a connection that does not exist', async () => {
    const forged = { ...connection, serviceAccountKey: stranger };
    const ctx = testStepContext(data(), { scope, connections: { google: forged }, services: privateAllowed });
    const outcome = await addRowRunner.run(ctx);
    expect(outcome.note).toContain(`rejected the credentials of ${stranger.client_email}`);
    const none = await addRowRunner.run(testStepContext(data(), { scope }));
    expect(none).toMatchObject({ exit: 'failure' });
    expect(none.note).toMatch(/Connection "google" does not exist/);
  });

  it('fails at once, without retrying or calling Google, when the key cannot sign, saying so', async () => {
    const broken = `-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n`;
    const before = sheets.requests.length;
    const ctx = context({ connection: { ...connection, serviceAccountKey: { ...key, private_key: broken } } });
    const outcome = await addRowRunner.run(ctx);
    expect(outcome).toMatchObject({ type: 'exit', exit: 'failure' });
    expect(outcome.note).toMatch(/^Google Sheets was not called: the private key of connection "google" cannot sign/);
    expect(outcome.note).not.toMatch(/could not be reached/);
    expect(ctx.warnings.filter((warning) => warning.includes('retrying'))).toEqual([]);
    expect(sheets.requests.length).toBe(before);
  });

  it('fails naming the type when the connection picked is a secret, not a Google account', async () => {
    const secret = { id: 'google', type: 'secret' as const, name: 'CRM token', value: 'crm_live_0123456789' };
    const outcome = await addRowRunner.run(testStepContext(data(), { scope, connections: { google: secret } }));
    expect(outcome).toMatchObject({ exit: 'failure' });
    expect(outcome.note).toMatch(/Connection "google" is of type "secret", but this needs one of type "google"/);
  });

  it('does not append twice when an earlier execution already wrote the row', async () => {
    expect(await addRowRunner.run(context())).toMatchObject({ exit: 'success' });
    const again = await addRowRunner.run(context({ mayHaveRunBefore: true }));
    expect(again).toMatchObject({ exit: 'success' });
    expect(again.note).toMatch(/already appended/);
    expect(sheets.rows('sheet-1', 'CSAT')).toHaveLength(2);

    const other = await addRowRunner.run(context({ mayHaveRunBefore: true, scope: { rating: 5 } }));
    expect(other).toMatchObject({ exit: 'success', note: 'appended CSAT!A3:D3' });
    expect(sheets.rows('sheet-1', 'CSAT')).toHaveLength(3);
  });

  it('writes a formula-looking answer as text, but keeps a formula the operator wrote', async () => {
    const before = sheets.requests.length;
    const columns = [
      { column: 'Contact', value: '$contact.name' },
      { column: 'Rating', value: '=1+1' },
    ];
    await addRowRunner.run(context({ data: data({ columns }), scope: { contact: { name: '=IMPORTXML("x")' } } }));
    const append = sheets.requests.slice(before).find((request) => request.kind === 'append');
    expect(append?.body).toEqual({ majorDimension: 'ROWS', values: [['', '\'=IMPORTXML("x")', '', '=1+1']] });
  });

  it.each([
    ['a loopback IP', () => sheets.url],
    ['a name resolving to loopback', () => sheets.url.replace('127.0.0.1', 'localhost')],
    ['an IPv4-mapped loopback', () => sheets.url.replace('127.0.0.1', '[::ffff:7f00:1]')],
  ])(
    'does not call an apiEndpoint on %s unless private targets are allowed, and does not retry',
    async (_name, url) => {
      const before = sheets.requests.length;
      const ctx = context({ connection: { ...connection, apiEndpoint: url() }, allowPrivateNetwork: false });
      const outcome = await addRowRunner.run(ctx);
      expect(outcome).toMatchObject({ type: 'exit', exit: 'failure' });
      expect(outcome.note).toMatch(/^Google Sheets was not called: .*is loopback .*HTTP_ALLOW_PRIVATE=true/);
      expect(outcome.note).toContain('Check the apiEndpoint of connection "google"');
      expect(ctx.warnings).toEqual([]);
      expect(sheets.requests.length).toBe(before);
    },
  );
});
