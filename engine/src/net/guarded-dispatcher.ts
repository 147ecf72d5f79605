import { promises as dns, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector, type Dispatcher, fetch as undiciFetch } from 'undici';
import { addressRefusal, ForbiddenAddressError } from './address-policy.ts';

export interface GuardOptions {
  /** Why an address may not be reached, or null: `addressRefusal` unless a test narrows it. */
  refusal?: (address: string) => string | null;
  /** Every address a name resolves to: `dns.lookup` unless a test stands in for DNS. */
  resolve?: (hostname: string, options: LookupOptions) => Promise<LookupAddress[]>;
  /** Opens the socket, resolving names with `lookup`: undici's connector unless a test records instead. */
  connect?: (lookup: LookupFunction) => buildConnector.connector;
}

/**
 * An undici connector that refuses forbidden targets at connect time: literal IP hosts before
 * any socket, DNS names in the lookup (when any address they resolve to is refused, so a
 * record set mixing public and internal addresses cannot slip through). Every connection,
 * redirects included, passes through it, and the address checked is the one connected to.
 */
export function guardedConnector(options: GuardOptions = {}): buildConnector.connector {
  const refusal = options.refusal ?? addressRefusal;
  const lookup = guardedLookup(
    refusal,
    options.resolve ?? ((hostname, hints) => dns.lookup(hostname, { ...hints, all: true })),
  );
  const connect = (options.connect ?? ((guarded) => buildConnector({ lookup: guarded })))(lookup);
  return (target, callback) => {
    const host = target.hostname.replace(/^\[|\]$/g, '');
    const reason = isIP(host) === 0 ? null : refusal(host);
    if (reason !== null) {
      callback(new ForbiddenAddressError(host, host, reason), null);
      return;
    }
    connect(target, callback);
  };
}

function guardedLookup(
  refusal: (address: string) => string | null,
  resolve: NonNullable<GuardOptions['resolve']>,
): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, options).then(
      (addresses) => {
        for (const entry of addresses) {
          const reason = refusal(entry.address);
          if (reason !== null) return callback(new ForbiddenAddressError(hostname, entry.address, reason), []);
        }
        if (options.all) return callback(null, addresses);
        const first = addresses[0];
        if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
        callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, []),
    );
  };
}

/** The connector of `outboundDispatcher`: the address guard, unless private targets are allowed. */
export function outboundConnector(
  allowPrivateNetwork: boolean,
  hooks: Omit<GuardOptions, 'refusal'> = {},
): buildConnector.connector {
  return guardedConnector({ ...hooks, refusal: allowPrivateNetwork ? () => null : addressRefusal });
}

const POOL = { connections: 64, keepAliveTimeout: 10_000 } as const;

let guarded: Agent | undefined;
let open: Agent | undefined;

/**
 * The dispatcher every outgoing call of a workflow goes through (HTTP steps, Google Sheets,
 * channel adapters): guarded unless `HTTP_ALLOW_PRIVATE=true`. One pooled agent per policy
 * for the whole process, so keep-alive connections are reused across runs.
 */
export function outboundDispatcher(allowPrivateNetwork: boolean): Dispatcher {
  if (allowPrivateNetwork) {
    open ??= new Agent({ ...POOL, connect: outboundConnector(true) });
    return open;
  }
  guarded ??= new Agent({ ...POOL, connect: outboundConnector(false) });
  return guarded;
}

/** `fetch` over `outboundDispatcher`, for clients that take a fetch implementation (gaxios). */
export function outboundFetch(allowPrivateNetwork: boolean): typeof fetch {
  const guardedFetch: typeof undiciFetch = (input, init) => {
    // A global Request is not undici's own class: undici would read it as the URL "[object Request]".
    if (input instanceof Request) return Promise.reject(new TypeError('outboundFetch takes a URL, not a Request'));
    return undiciFetch(input, { ...init, dispatcher: outboundDispatcher(allowPrivateNetwork) });
  };
  // Node's global fetch is a bundled copy of undici's: only the two copies' type declarations differ.
  return guardedFetch as unknown as typeof fetch;
}

/** Closes the pooled connections, letting in-flight requests finish (graceful shutdown). */
export async function closeOutboundDispatchers(): Promise<void> {
  const agents = [guarded, open].filter((agent) => agent !== undefined);
  guarded = undefined;
  open = undefined;
  await Promise.all(agents.map((agent) => agent.close()));
}
