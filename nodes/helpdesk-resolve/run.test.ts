import { StepError, testStepContext } from '@convoflow/engine';
import { describe, expect, it } from 'vitest';
import { runRefused } from '../shared/helpdesk-testing.ts';
import { helpdeskResolve } from './definition.ts';
import { helpdeskResolveRunner } from './run.ts';

const data = helpdeskResolve.schema.parse({});

describe('helpdesk.resolve', () => {
  it('asks the channel to resolve the conversation, and leaves by success', async () => {
    const ctx = testStepContext(data);
    expect(await helpdeskResolveRunner.run(ctx)).toEqual({ type: 'exit', exit: 'success' });
    expect(ctx.acted).toEqual([{ action: 'resolve' }]);
  });

  it('leaves by failure with the reason when the connection the run came through is gone', async () => {
    const reason = 'The chatwoot connection "helpdesk" this run came through no longer exists.';
    expect(await runRefused(helpdeskResolveRunner, data, new StepError(reason))).toEqual({
      type: 'exit',
      exit: 'failure',
      note: reason,
    });
  });

  it('lets a retryable platform error go back to the engine, which retries the step first', async () => {
    const busy = new StepError('POST /conversations/10/toggle_status: Chatwoot answered HTTP 502', { retryable: true });
    await expect(runRefused(helpdeskResolveRunner, data, busy)).rejects.toBe(busy);
  });

  it('lets anything that is not the step’s failure go back to the engine too', async () => {
    const outage = new Error('Connection is closed.');
    await expect(runRefused(helpdeskResolveRunner, data, outage)).rejects.toBe(outage);
  });
});
