import { testStepContext } from '@convoflow/engine';
import { describe, expect, it } from 'vitest';
import { wait } from './definition.ts';
import { waitRunner } from './run.ts';

describe('wait', () => {
  const data = wait.schema.parse({ duration: { value: 2, unit: 'hours' } });
  const now = 1_700_000_000_000;

  it('pauses for the duration and continues when the delay ends', async () => {
    const ctx = testStepContext(data, { services: { now: () => now } });
    expect(await waitRunner.run(ctx)).toEqual({
      type: 'pause',
      wait: { kind: 'delay', ms: 7_200_000 },
      state: { until: now + 7_200_000 },
    });
    expect(await waitRunner.resume!(ctx, { kind: 'timeout' })).toEqual({ type: 'exit' });
  });

  it('keeps waiting for the rest of the delay when a reply arrives meanwhile', async () => {
    const ctx = testStepContext(data, { state: { until: now + 1000 }, services: { now: () => now } });
    const outcome = await waitRunner.resume!(ctx, { kind: 'reply', text: 'hello?', receivedAt: now });
    expect(outcome).toEqual({ type: 'pause', wait: { kind: 'delay', ms: 1000 }, state: { until: now + 1000 } });
  });

  it('rejects a non-positive duration and an unknown unit', () => {
    expect(wait.schema.safeParse({ duration: { value: 0, unit: 'hours' } }).success).toBe(false);
    expect(wait.schema.safeParse({ duration: { value: 1, unit: 'weeks' } }).success).toBe(false);
  });
});
