import { createSign } from 'node:crypto';
import type { ConnectionCheckResult } from '../contract/connections.ts';
import { forbiddenAddressIn, outboundFetch } from '../net/index.ts';
import type { GoogleConnection } from '../sdk/runner.ts';

const SHEETS_SCOPE = 'https://www.googleapis.com/auth/spreadsheets';
const GOOGLE_SHEETS_ROOT = 'https://sheets.googleapis.com';
/** A spreadsheet id no one has: Google answers 404 to a caller it accepted, 401/403 to one it refused. */
const PROBE_SPREADSHEET = 'convoflow-connection-check';

/** What a check found, and whether it is the provider refusing the credentials (shown on the connection). */
export type GoogleCheck = ConnectionCheckResult & { refused: boolean };

/**
 * Asks Google whether it accepts a service-account key: one Sheets read of a spreadsheet that
 * does not exist, authenticated the way the Sheets step authenticates (a self-signed JWT with
 * the spreadsheets scope), at the connection's `apiEndpoint` when it has one. Google checks the
 * token before it looks for the spreadsheet, so "not found" means the key is good. Nothing is
 * read or written. Goes through the guarded dispatcher like every outgoing call.
 */
export async function checkGoogleConnection(
  connection: GoogleConnection,
  options: { allowPrivateNetwork: boolean; signal: AbortSignal; now?: number },
): Promise<GoogleCheck> {
  const email = connection.serviceAccountKey.client_email;
  let token: string;
  try {
    token = selfSignedJwt(connection, options.now ?? Date.now());
  } catch (error) {
    return {
      ok: false,
      refused: true,
      problem: `The private key of ${email} cannot sign (${messageOf(error)}): Google was not called. Add the connection again with the whole JSON key file Google gave you.`,
    };
  }
  const url = new URL(`/v4/spreadsheets/${PROBE_SPREADSHEET}/values/A1`, connection.apiEndpoint ?? GOOGLE_SHEETS_ROOT);
  let response: Response;
  try {
    response = await outboundFetch(options.allowPrivateNetwork)(url, {
      headers: { authorization: `Bearer ${token}` },
      signal: options.signal,
    });
  } catch (error) {
    const refusal = forbiddenAddressIn(error);
    if (refusal) return { ok: false, refused: false, problem: `Google was not called: ${refusal.message}` };
    return {
      ok: false,
      refused: false,
      problem: `Google could not be reached at ${url.origin} (${messageOf(error)}).`,
    };
  }
  const said = await googleMessage(response);
  if (response.status === 404 || response.ok) {
    return {
      ok: true,
      refused: false,
      detail: `Google accepted the key of ${email}. Share each spreadsheet with ${email} as an Editor.`,
    };
  }
  if (response.status === 401) {
    return {
      ok: false,
      refused: true,
      problem: `Google refused the key of ${email}: ${said}. The key may be deleted or disabled; add the connection again with a current key.`,
    };
  }
  if (response.status === 403) {
    return {
      ok: false,
      refused: true,
      problem: `Google refused ${email}: ${said}. Check that the Google Sheets API is enabled for the key's project.`,
    };
  }
  return { ok: false, refused: false, problem: `Google answered HTTP ${response.status}: ${said}.` };
}

/** An RS256 JWT the service account signs itself, as googleapis' `useJWTAccessWithScope` sends. */
function selfSignedJwt(connection: GoogleConnection, now: number): string {
  const key = connection.serviceAccountKey;
  const iat = Math.floor(now / 1000);
  const keyId = typeof key.private_key_id === 'string' ? { kid: key.private_key_id } : {};
  const header = base64url({ alg: 'RS256', typ: 'JWT', ...keyId });
  const payload = base64url({
    iss: key.client_email,
    sub: key.client_email,
    scope: SHEETS_SCOPE,
    iat,
    exp: iat + 3600,
  });
  const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(key.private_key, 'base64url');
  return `${header}.${payload}.${signature}`;
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Google's error body is `{ error: { message } }`; anything else is described by its status. */
async function googleMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body: unknown = JSON.parse(text);
    const message = (body as { error?: { message?: unknown } }).error?.message;
    if (typeof message === 'string') return message;
  } catch {}
  return `HTTP ${response.status} ${response.statusText}`.trim();
}

function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
