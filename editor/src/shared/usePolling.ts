import { useCallback, useEffect, useRef, useState } from 'react';

export interface PollingOptions<T> {
  /** Pause between the end of one load and the start of the next. */
  intervalMs: number;
  /** Identity of what is loaded: a new key drops the old data and starts over. */
  key: string;
  /** False stops polling (a closed panel, a missing id). Default true. */
  enabled?: boolean;
  /** Stops polling once the data is final (an ended run); `refresh()` starts it again. */
  stopWhen?: (data: T) => boolean;
}

export interface Polling<T> {
  data: T | undefined;
  /** The last load's error; cleared by the next successful load. */
  error: unknown;
  /** True until the first load for this key has answered. */
  loading: boolean;
  /** Loads now and restarts polling (after an action that changes the data). */
  refresh: () => void;
}

interface PollState<T> {
  key: string;
  data: T | undefined;
  error: unknown;
  settled: boolean;
}

/**
 * Loads `load()` now and again every `intervalMs` while the page is visible. Loads never
 * overlap (the next one is scheduled when the previous answered), and a hidden tab does not
 * poll: it loads again as soon as it is shown.
 */
export function usePolling<T>(load: () => Promise<T>, options: PollingOptions<T>): Polling<T> {
  const { intervalMs, key, enabled = true } = options;
  const loadRef = useRef(load);
  const stopWhenRef = useRef(options.stopWhen);
  useEffect(() => {
    loadRef.current = load;
    stopWhenRef.current = options.stopWhen;
  });
  const [state, setState] = useState<PollState<T>>({ key, data: undefined, error: undefined, settled: false });
  const [generation, setGeneration] = useState(0);
  const refresh = useCallback(() => setGeneration((value) => value + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `generation` restarts the loop on refresh()
  useEffect(() => {
    if (!enabled) return;
    let disposed = false;
    let inFlight = false;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastJson: string | undefined;

    const tick = async () => {
      timer = undefined;
      if (disposed || stopped || inFlight || document.visibilityState === 'hidden') return;
      inFlight = true;
      try {
        const data = await loadRef.current();
        if (disposed) return;
        // An unchanged answer keeps the previous object, so consumers' effects do not re-fire.
        const json = JSON.stringify(data);
        if (json !== lastJson) setState({ key, data, error: undefined, settled: true });
        else setState((previous) => (previous.error === undefined ? previous : { ...previous, error: undefined }));
        lastJson = json;
        stopped = stopWhenRef.current?.(data) ?? false;
      } catch (error) {
        if (disposed) return;
        setState((previous) => ({
          key,
          data: previous.key === key ? previous.data : undefined,
          error,
          settled: true,
        }));
      } finally {
        inFlight = false;
      }
      if (!disposed && !stopped) timer = setTimeout(tick, intervalMs);
    };
    const onVisibilityChange = () => {
      if (document.visibilityState === 'visible' && timer === undefined) void tick();
    };

    void tick();
    document.addEventListener('visibilitychange', onVisibilityChange);
    return () => {
      disposed = true;
      if (timer !== undefined) clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibilityChange);
    };
  }, [key, enabled, intervalMs, generation]);

  const current = state.key === key;
  return {
    data: current ? state.data : undefined,
    error: current ? state.error : undefined,
    loading: enabled && !(current && state.settled),
    refresh,
  };
}
