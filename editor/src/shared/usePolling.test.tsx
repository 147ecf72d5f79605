import { act, cleanup, render, screen } from '@testing-library/react';
import { useEffect } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { usePolling } from './usePolling.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

interface Snapshot {
  n: number;
  done: boolean;
}

function Probe({ load, onData }: { load: () => Promise<Snapshot>; onData: (data: Snapshot | undefined) => void }) {
  const polling = usePolling(load, { key: 'k', intervalMs: 500, stopWhen: (data) => data.done });
  useEffect(() => onData(polling.data), [polling.data, onData]);
  return (
    <div>
      <output>{polling.loading ? 'loading' : String(polling.data?.n)}</output>
      <button type="button" onClick={polling.refresh}>
        refresh
      </button>
    </div>
  );
}

function ErrorProbe({ load }: { load: () => Promise<Snapshot> }) {
  const polling = usePolling(load, { key: 'k', intervalMs: 500, stopWhen: (data) => data.done });
  return <output>{polling.error instanceof Error ? polling.error.message : String(polling.data?.n)}</output>;
}

describe('usePolling', () => {
  it('loads now, again after each interval, stops when the data is final, and restarts on refresh', async () => {
    const answers: Snapshot[] = [
      { n: 1, done: false },
      { n: 1, done: false },
      { n: 2, done: true },
      { n: 3, done: true },
    ];
    let calls = 0;
    const load = vi.fn(async () => answers[Math.min(calls++, answers.length - 1)]!);
    const onData = vi.fn();
    render(<Probe load={load} onData={onData} />);
    expect(screen.getByRole('status').textContent).toBe('loading');

    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(screen.getByRole('status').textContent).toBe('1');
    await act(() => vi.advanceTimersByTimeAsync(500));
    expect(load).toHaveBeenCalledTimes(2);
    await act(() => vi.advanceTimersByTimeAsync(500));
    expect(screen.getByRole('status').textContent).toBe('2');

    await act(() => vi.advanceTimersByTimeAsync(5000));
    expect(load).toHaveBeenCalledTimes(3);
    // An unchanged answer (the second) keeps the same object: consumers saw undefined, n=1, n=2.
    expect(onData.mock.calls.map(([data]) => data?.n)).toEqual([undefined, 1, 2]);

    await act(async () => {
      screen.getByRole('button', { name: 'refresh' }).click();
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(load).toHaveBeenCalledTimes(4);
    expect(screen.getByRole('status').textContent).toBe('3');
  });

  it('keeps polling after a failed load and clears the error when it recovers', async () => {
    let calls = 0;
    const load = vi.fn(async () => {
      calls++;
      if (calls === 1) throw new Error('server down');
      return { n: calls, done: true };
    });
    render(<ErrorProbe load={load} />);
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(screen.getByRole('status').textContent).toBe('server down');
    await act(() => vi.advanceTimersByTimeAsync(500));
    expect(screen.getByRole('status').textContent).toBe('2');
  });
});
