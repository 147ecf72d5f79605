import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createServiceAccountKey,
  type GoogleSheetsStandIn,
  startGoogleSheetsStandIn,
} from '../../../test/stand-ins/google-sheets.ts';
import type { GoogleConnection } from '../sdk/runner.ts';
import { checkGoogleConnection } from './google-check.ts';

const trusted = createServiceAccountKey('trusted');
const unknown = createServiceAccountKey('unknown');
let google: GoogleSheetsStandIn;

beforeAll(async () => {
  google = await startGoogleSheetsStandIn({ serviceAccounts: [trusted] });
});
afterAll(() => google.close());

const connection = (key: GoogleConnection['serviceAccountKey']): GoogleConnection => ({
  id: 'google',
  type: 'google',
  name: 'Google',
  serviceAccountKey: key,
  apiEndpoint: google.url,
});
const check = (key: GoogleConnection['serviceAccountKey']) =>
  checkGoogleConnection(connection(key), { allowPrivateNetwork: true, signal: AbortSignal.timeout(5_000) });

describe('checkGoogleConnection', () => {
  it('reports a key Google accepts as ok, naming the account to share spreadsheets with', async () => {
    const result = await check(trusted);
    expect(result).toEqual({ ok: true, refused: false, detail: expect.stringContaining(trusted.client_email) });
    expect(google.requests.at(-1)?.authenticatedAs).toBe(trusted.client_email);
  });

  it("reports Google's refusal of a key in its words, as a refusal", async () => {
    const result = await check(unknown);
    expect(result).toMatchObject({ ok: false, refused: true });
    expect(result.ok === false && result.problem).toMatch(
      /Google refused the key of unknown@.*Request had invalid authentication credentials/,
    );
  });

  it('reports a key that cannot sign without calling Google', async () => {
    const before = google.requests.length;
    const broken = { ...trusted, private_key: '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n' };
    const result = await check(broken);
    expect(result).toMatchObject({ ok: false, refused: true, problem: expect.stringContaining('cannot sign') });
    expect(google.requests.length).toBe(before);
  });

  it('refuses an internal apiEndpoint unless private addresses are allowed', async () => {
    const result = await checkGoogleConnection(connection(trusted), {
      allowPrivateNetwork: false,
      signal: AbortSignal.timeout(5_000),
    });
    expect(result).toMatchObject({
      ok: false,
      refused: false,
      problem: expect.stringContaining('Google was not called'),
    });
  });
});
