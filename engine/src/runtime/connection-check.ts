import type { ConnectionCheckResult } from '../contract/connections.ts';
import { AppError } from '../errors.ts';
import type { ConnectionStore } from '../stores/connection-store.ts';
import type { ChannelOutbox } from './channel-outbox.ts';
import { checkGoogleConnection } from './google-check.ts';

/** A check is a person waiting on a button. */
const CHECK_TIMEOUT_MS = 10_000;

export interface ConnectionCheckDeps {
  connections: ConnectionStore;
  channel: ChannelOutbox;
  allowPrivateNetwork: boolean;
}

/**
 * `POST /api/connections/:id/check`: a cheap authenticated call to the connection's provider,
 * its answer in words. Google's refusal marks the connection refused, as a step's would; a
 * success clears a refusal.
 */
export async function checkConnection(id: string, deps: ConnectionCheckDeps): Promise<ConnectionCheckResult> {
  const summary = await deps.connections.get(id);
  if (summary.type === 'secret') {
    throw new AppError(
      'BAD_REQUEST',
      `Connection "${id}" is a secret: there is no provider to call. Google and channel connections can be checked.`,
    );
  }
  if (summary.type === 'channel') {
    const result = await deps.channel.check(id);
    if (result.ok) await deps.connections.clearRefused(id);
    return result;
  }
  const connection = await deps.connections.resolve(id);
  if (connection.type !== 'google') throw new Error(`Connection "${id}" changed type while it was checked.`);
  const { refused, ...result } = await checkGoogleConnection(connection, {
    allowPrivateNetwork: deps.allowPrivateNetwork,
    signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
  });
  if (result.ok) await deps.connections.clearRefused(id);
  else if (refused) await deps.connections.reportRefused(id, result.problem);
  return result;
}
