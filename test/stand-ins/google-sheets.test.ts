import { sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createServiceAccountKey,
  type GoogleSheetsStandIn,
  SHEETS_SCOPE,
  startGoogleSheetsStandIn,
} from './google-sheets.ts';

/** A self-signed service-account JWT, built by hand so the stand-in's checks can be probed. */
function jwt(claims: Record<string, unknown>, privateKey: string): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), privateKey).toString('base64url')}`;
}

const writer = createServiceAccountKey('writer');
const stranger = createServiceAccountKey('stranger');
const now = () => Math.floor(Date.now() / 1000);
const claims = (overrides: Record<string, unknown> = {}) => ({
  iss: writer.client_email,
  sub: writer.client_email,
  scope: SHEETS_SCOPE,
  iat: now(),
  exp: now() + 3600,
  ...overrides,
});

let sheets: GoogleSheetsStandIn;
beforeAll(async () => {
  sheets = await startGoogleSheetsStandIn({ serviceAccounts: [writer] });
  sheets.addSpreadsheet('doc', { "Bob's tab": [['Name', 'Score']] });
});
afterAll(() => sheets.close());

async function call(path: string, token: string | null, init: RequestInit = {}) {
  const response = await fetch(`${sheets.url}${path}`, {
    ...init,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
  });
  return { status: response.status, body: await response.json() };
}

const headerRow = `/v4/spreadsheets/doc/values/${encodeURIComponent("'Bob''s tab'!1:1")}`;

describe('Google Sheets stand-in', () => {
  it('serves values.get in the API shape to a correctly signed token', async () => {
    expect(await call(headerRow, jwt(claims(), writer.private_key))).toEqual({
      status: 200,
      body: { range: "'Bob''s tab'!A1:B1", majorDimension: 'ROWS', values: [['Name', 'Score']] },
    });
  });

  it.each([
    ['no token', null, 401],
    ['a token signed with another key', jwt(claims(), stranger.private_key), 401],
    ['an expired token', jwt(claims({ exp: now() - 10 }), writer.private_key), 401],
    [
      'an unknown service account',
      jwt(claims({ iss: stranger.client_email, sub: stranger.client_email }), stranger.private_key),
      401,
    ],
    [
      'a token without the spreadsheets scope',
      jwt(claims({ scope: 'https://www.googleapis.com/auth/drive' }), writer.private_key),
      403,
    ],
  ])('rejects %s with Google’s error shape', async (_name, token, status) => {
    const { status: got, body } = await call(headerRow, token);
    expect(got).toBe(status);
    expect(body).toEqual({ error: { code: status, message: expect.any(String), status: expect.any(String) } });
  });

  it('appends after the last row and answers like values.append', async () => {
    const token = jwt(claims(), writer.private_key);
    const append = `/v4/spreadsheets/doc/values/${encodeURIComponent("'Bob''s tab'")}:append?valueInputOption=USER_ENTERED&insertDataOption=INSERT_ROWS`;
    const { status, body } = await call(append, token, {
      method: 'POST',
      body: JSON.stringify({
        values: [
          ['Ada', '5'],
          ["'007", 4],
        ],
      }),
    });
    expect(status).toBe(200);
    expect(body).toEqual({
      spreadsheetId: 'doc',
      tableRange: "'Bob''s tab'!A1:B1",
      updates: {
        spreadsheetId: 'doc',
        updatedRange: "'Bob''s tab'!A2:B3",
        updatedRows: 2,
        updatedColumns: 2,
        updatedCells: 4,
      },
    });
    expect(sheets.rows('doc', "Bob's tab")).toEqual([
      ['Name', 'Score'],
      ['Ada', 5],
      ['007', 4],
    ]);
  });

  it('answers 404 for an unknown spreadsheet, 400 for an unknown tab, and injected failures on demand', async () => {
    const token = jwt(claims(), writer.private_key);
    expect((await call('/v4/spreadsheets/nope/values/A!1:1', token)).status).toBe(404);
    expect((await call('/v4/spreadsheets/doc/values/Other!1:1', token)).body.error.message).toBe(
      'Unable to parse range: Other!1:1',
    );
    sheets.failNext(429, 1, { retryAfterSeconds: 7 });
    const limited = await fetch(`${sheets.url}${headerRow}`, { headers: { authorization: `Bearer ${token}` } });
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '7']);
    expect((await call(headerRow, token)).status).toBe(200);
  });
});
