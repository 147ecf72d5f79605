import { useEffect, useState } from 'react';
import { ApiError, api } from '../api/client.ts';

const POLL_MS = 15_000;

type Health = 'ok' | 'unreachable' | 'degraded';

/** Polls `/ready`: says so when the server cannot be reached or Redis is down. */
export function StatusBanner() {
  const [health, setHealth] = useState<Health>('ok');
  const [detail, setDetail] = useState('');

  useEffect(() => {
    let stopped = false;
    const check = async () => {
      try {
        await api.health();
        if (!stopped) setHealth('ok');
      } catch (error) {
        if (stopped) return;
        // 0: no answer at all; 502/504: the dev server's proxy found no server behind it.
        if (error instanceof ApiError && [0, 502, 504].includes(error.status)) setHealth('unreachable');
        else {
          setHealth('degraded');
          setDetail(error instanceof Error ? error.message : String(error));
        }
      }
    };
    void check();
    const timer = window.setInterval(check, POLL_MS);
    window.addEventListener('focus', check);
    return () => {
      stopped = true;
      window.clearInterval(timer);
      window.removeEventListener('focus', check);
    };
  }, []);

  if (health === 'ok') return null;
  return (
    <div className="banner banner--error" role="alert" data-testid="status-banner">
      {health === 'unreachable'
        ? 'The server cannot be reached. Is it running? Start it with `npm start` and this page reconnects by itself.'
        : `The server is up but not ready: Redis is unreachable, so saving, publishing and runs fail until it is back. (${detail})`}
    </div>
  );
}
