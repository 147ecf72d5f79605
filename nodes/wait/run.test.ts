import { testStepContext, validateWorkflow } from '@convoflow/engine';
import { describe, expect, it } from 'vitest';
import { definitions } from '../index.ts';
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
    expect(await waitRunner.resume!(ctx, { kind: 'deadline' })).toEqual({ type: 'exit' });
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

  it('must last a minute on a loop, like the timeout of a question that loops back', () => {
    const position = { x: 0, y: 0 };
    const loop = (pause: { type: string; data: Record<string, unknown> }) => ({
      name: 'Nag',
      nodes: [
        { id: 'start', type: 'trigger.conversationClosed', position, data: {} },
        { id: 'nag', type: 'sendMessage', position, data: { text: 'Still there?' } },
        { id: 'pause', position, ...pause },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'nag' },
        { id: 'e2', source: 'nag', target: 'pause' },
        { id: 'e3', source: 'pause', sourceHandle: pause.type === 'wait' ? null : 'timeout', target: 'nag' },
      ],
    });
    const tiny = { value: 0.0001, unit: 'seconds' };
    expect(validateWorkflow(loop({ type: 'wait', data: { duration: tiny } }), definitions).problems).toEqual([
      {
        nodeId: 'pause',
        field: 'duration',
        message:
          'This Wait is on a loop back to an earlier step, so it must last at least 1 minute (it lasts 0.0001 seconds).',
      },
    ]);
    const question = { question: 'Rate us', saveAs: 'rating', timeout: tiny };
    expect(validateWorkflow(loop({ type: 'askQuestion', data: question }), definitions).problems).toEqual([
      {
        nodeId: 'pause',
        field: 'timeout',
        message:
          'The "timeout" exit of this Ask question leads back to an earlier step, so "Give up after" must be at least 1 minute (it is 0.0001 seconds).',
      },
    ]);
  });
});
