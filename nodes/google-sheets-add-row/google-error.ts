import { forbiddenAddressIn } from '@convoflow/engine/net';

/**
 * What a failed Sheets call tells the step: an HTTP status (absent for network errors),
 * Google's own message, a `Retry-After` if the server sent one, whether the address guard
 * refused the endpoint, and whether the key itself could not sign (in both cases nothing was
 * sent and retrying cannot help).
 */
export interface SheetsFailure {
  status: number | null;
  message: string;
  retryAfter: string | undefined;
  refused: boolean;
  badKey: boolean;
}

export function readSheetsFailure(error: unknown): SheetsFailure {
  const refusal = forbiddenAddressIn(error);
  const local = { status: null, retryAfter: undefined, refused: false, badKey: false };
  if (refusal) return { ...local, message: refusal.message, refused: true };
  if (!(error instanceof Error)) return { ...local, message: String(error) };
  // OpenSSL could not read the private key to sign the request: a credential problem, not the network.
  if ('code' in error && typeof error.code === 'string' && error.code.startsWith('ERR_OSSL')) {
    return { ...local, message: error.message, badKey: true };
  }
  const status = 'status' in error && typeof error.status === 'number' ? error.status : null;
  const response = 'response' in error ? error.response : undefined;
  return {
    status,
    message: googleMessage(response) ?? error.message,
    retryAfter: headerOf(response, 'retry-after'),
    refused: false,
    badKey: false,
  };
}

/** Google's error body: `{ error: { code, message, status } }`. */
function googleMessage(response: unknown): string | undefined {
  const data = field(response, 'data');
  const message = field(field(data, 'error'), 'message');
  return typeof message === 'string' ? message : undefined;
}

function headerOf(response: unknown, name: string): string | undefined {
  const headers = field(response, 'headers');
  // gaxios may build its Headers from another copy of undici than the global one: no instanceof.
  const get = field(headers, 'get');
  if (typeof get === 'function') {
    const value: unknown = Reflect.apply(get, headers, [name]);
    return typeof value === 'string' ? value : undefined;
  }
  const value = field(headers, name);
  return typeof value === 'string' ? value : undefined;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && key in value ? Reflect.get(value, key) : undefined;
}
