import type { GoogleConnection } from '@convoflow/engine';
import { outboundFetch } from '@convoflow/engine/net';
import { auth, sheets, type sheets_v4 } from '@googleapis/sheets';

export const SHEETS_SCOPE = 'https://www.googleapis.com/auth/spreadsheets';
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * A Sheets v4 client for one service-account connection. It authenticates with a
 * self-signed JWT (no token endpoint round trip); `apiEndpoint` replaces the API's origin
 * (googleapis keeps the `/v4/...` path, so a path prefix on it is ignored). The client's own
 * retries are off: the step retries itself, honouring `Retry-After`, and knows `append` is
 * not idempotent. Every request goes through the engine's guarded dispatcher, so an
 * `apiEndpoint` on an internal address is refused at connect time like an HTTP step's URL.
 */
export function sheetsClient(connection: GoogleConnection, allowPrivateNetwork: boolean): sheets_v4.Sheets {
  const fetchImplementation = outboundFetch(allowPrivateNetwork);
  const jwt = new auth.JWT({
    email: connection.serviceAccountKey.client_email,
    key: connection.serviceAccountKey.private_key,
    scopes: [SHEETS_SCOPE],
    transporterOptions: { fetchImplementation },
  });
  jwt.useJWTAccessWithScope = true;
  return sheets({
    version: 'v4',
    auth: jwt,
    fetchImplementation,
    retry: false,
    timeout: REQUEST_TIMEOUT_MS,
    ...(connection.apiEndpoint ? { rootUrl: connection.apiEndpoint } : {}),
  });
}

/** A tab name as an A1 range prefix: quoted, inner quotes doubled ("Bob's" → 'Bob''s'). */
export function quoteSheet(sheet: string): string {
  return `'${sheet.replace(/'/g, "''")}'`;
}
