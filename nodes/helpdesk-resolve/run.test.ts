import { testStepContext } from '@convoflow/engine';
import { describe, expect, it } from 'vitest';
import { helpdeskResolve } from './definition.ts';
import { helpdeskResolveRunner } from './run.ts';

const data = helpdeskResolve.schema.parse({});

describe('helpdesk.resolve', () => {
  it('asks the channel to resolve the conversation, and leaves by success', async () => {
    const ctx = testStepContext(data);
    expect(await helpdeskResolveRunner.run(ctx)).toMatchObject({ type: 'exit', exit: 'success' });
    expect(ctx.acted).toEqual([{ action: 'resolve' }]);
  });
});
