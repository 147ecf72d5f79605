import { type ConnectionResolver, type GoogleConnection, testStepContext } from '@convoflow/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createServiceAccountKey,
  type GoogleSheetsStandIn,
  startGoogleSheetsStandIn,
} from '../../test/stand-ins/google-sheets.ts';
import { addRow } from './definition.ts';
import { addRowRunner } from './run.ts';

const trusted = createServiceAccountKey('csat-writer');
const stranger = createServiceAccountKey('stranger');
let sheets: GoogleSheetsStandIn;

beforeAll(async () => {
  sheets = await startGoogleSheetsStandIn({ serviceAccounts: [trusted] });
  sheets.addSpreadsheet('sheet-1', { CSAT: [['Rating']] });
});
afterAll(() => sheets.close());

/** One connection whose key the test swaps, and the refusals the step reported, shared across steps. */
function connectionsWith(initial: GoogleConnection['serviceAccountKey']) {
  const refused = new Map<string, string>();
  let key = initial;
  const resolver: ConnectionResolver = {
    get: async (id) => ({ id, type: 'google', name: 'Google', serviceAccountKey: key, apiEndpoint: sheets.url }),
    reportRefused: async (id, reason) => void refused.set(id, reason),
    reportAccepted: async (id) => void refused.delete(id),
  };
  return { resolver, refused, useKey: (next: typeof key) => (key = next) };
}

const run = (connections: ConnectionResolver) =>
  addRowRunner.run(
    testStepContext(
      addRow.schema.parse({
        connectionId: 'google',
        spreadsheetId: 'sheet-1',
        sheet: 'CSAT',
        columns: [{ column: 'Rating', value: '5' }],
      }),
      { services: { allowPrivateNetwork: true, connections } },
    ),
  );

describe('a connection Google refuses', () => {
  it('is reported refused with the step’s reason on a 401, and cleared by the next success', async () => {
    const { resolver, refused, useKey } = connectionsWith(stranger);
    expect(await run(resolver)).toMatchObject({ exit: 'failure' });
    expect(refused.get('google')).toMatch(/Google rejected the credentials of stranger@/);

    useKey(trusted);
    expect(await run(resolver)).toMatchObject({ exit: 'success' });
    expect(refused.has('google')).toBe(false);
  });

  it('is reported refused when its key cannot sign', async () => {
    const { resolver, refused } = connectionsWith({
      ...trusted,
      private_key: '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n',
    });
    await run(resolver);
    expect(refused.get('google')).toMatch(/cannot sign/);
  });

  it('is not reported refused when Google cannot find the spreadsheet', async () => {
    const { resolver, refused } = connectionsWith(trusted);
    sheets.failNext(404, 1);
    await run(resolver);
    expect(refused.size).toBe(0);
  });
});
