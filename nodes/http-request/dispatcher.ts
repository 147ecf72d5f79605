import { type LookupAddress, type LookupAllOptions, type LookupOneOptions, lookup } from 'node:dns';
import { isIP } from 'node:net';
import { Agent, buildConnector, type Dispatcher } from 'undici';
import { ForbiddenAddressError, isForbiddenAddress } from './address-policy.ts';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

type Refuse = (address: string) => boolean;

/** A DNS lookup that fails with `ForbiddenAddressError` when any resolved address is refused. */
function guardedLookup(refuse: Refuse) {
  return (hostname: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback): void => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const refused = addresses.find((entry) => refuse(entry.address));
      if (refused) return callback(new ForbiddenAddressError(hostname, refused.address), []);
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
}

/**
 * Refuses literal IP hosts here (no lookup happens for them) and DNS names in the lookup, at
 * connect time: every connection, redirects included, passes through it.
 */
export function guardedConnector(refuse: Refuse = isForbiddenAddress): buildConnector.connector {
  const connect = buildConnector({ lookup: guardedLookup(refuse) });
  return (options, callback) => {
    const host = options.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) !== 0 && refuse(host)) {
      callback(new ForbiddenAddressError(host, host), null);
      return;
    }
    connect(options, callback);
  };
}

const POOL = { connections: 64, keepAliveTimeout: 10_000 } as const;

let guarded: Agent | undefined;
let open: Agent | undefined;

/**
 * One pooled agent per policy for the whole process: keep-alive connections are reused
 * across runs, which matters when thousands of runs POST to the same CRM.
 */
export function dispatcherFor(allowPrivateNetwork: boolean): Dispatcher {
  if (allowPrivateNetwork) {
    open ??= new Agent(POOL);
    return open;
  }
  guarded ??= new Agent({ ...POOL, connect: guardedConnector() });
  return guarded;
}

/** Closes the pooled connections, letting in-flight requests finish (graceful shutdown). */
export async function closeHttpAgents(): Promise<void> {
  const agents = [guarded, open].filter((agent) => agent !== undefined);
  guarded = undefined;
  open = undefined;
  await Promise.all(agents.map((agent) => agent.close()));
}
