import type { ConnectionSummary } from '@convoflow/engine';
import { RelativeTime } from '../shared/RelativeTime.tsx';
import './refused-notice.css';

/**
 * "Refused since 5 minutes ago: …" on a connection whose provider refuses its credentials (a
 * step or a check met Google's 401/403, or a key that cannot sign): where the operator fixes it,
 * not only in the run logs. Nothing while it is accepted.
 */
export function RefusedNotice({ connection }: { connection: Pick<ConnectionSummary, 'refusedAt' | 'refusedReason'> }) {
  if (connection.refusedAt === undefined) return null;
  return (
    <p className="connection-refused" role="alert" data-testid="connection-refused">
      <strong>
        Refused since <RelativeTime at={connection.refusedAt} />
      </strong>
      {connection.refusedReason ? `: ${connection.refusedReason}` : ''}
    </p>
  );
}
