import { formatDateTime, formatRelative } from './format.ts';
import { useNow } from './useNow.ts';

/**
 * "5 minutes ago", with the full date and time on hover and in `dateTime`. Ticks by itself
 * unless the parent passes the `now` it already keeps.
 */
export function RelativeTime({ at, now }: { at: number; now?: number }) {
  const ticking = useNow(15_000);
  return (
    <time dateTime={new Date(at).toISOString()} title={formatDateTime(at)}>
      {formatRelative(at, now ?? ticking)}
    </time>
  );
}
