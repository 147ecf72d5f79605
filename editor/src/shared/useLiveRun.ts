import type { RunDetail } from '@convoflow/engine';
import { api } from '../api/client.ts';
import { isEnded } from './StatusBadge.tsx';
import { type Polling, usePolling } from './usePolling.ts';

/** A run, re-read every `intervalMs` until it ends; `runId` null means no run. */
export function useLiveRun(runId: string | null, intervalMs = 1000): Polling<RunDetail> {
  return usePolling(() => (runId === null ? Promise.reject(new Error('no run')) : api.runs.get(runId)), {
    key: runId ?? '',
    enabled: runId !== null,
    intervalMs,
    stopWhen: (run) => isEnded(run.status),
  });
}
