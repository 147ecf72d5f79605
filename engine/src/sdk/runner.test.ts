import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEFAULT_EXIT, defineNode } from './define-node.ts';
import { defineRunner, triggerRunner } from './runner.ts';
import { testStepContext } from './testing.ts';

const counter = defineNode({
  type: 'test.counter',
  label: 'Counter',
  group: 'Logic',
  description: 'Pauses, counting its resumes',
  icon: 'C',
  schema: z.object({}),
  exits: () => [DEFAULT_EXIT],
  variables: () => [],
  pauses: true,
});

describe('defineRunner', () => {
  const seen: unknown[] = [];
  const runner = defineRunner(counter, {
    state: z.object({ count: z.number().int() }),
    async run() {
      return { type: 'pause', wait: { kind: 'reply', timeoutMs: null }, state: { count: 0 } };
    },
    async resume(ctx) {
      seen.push(ctx.state);
      const count = (ctx.state?.count ?? -1) + 1;
      return { type: 'pause', wait: { kind: 'reply', timeoutMs: null }, state: { count } };
    },
  });
  const reply = { kind: 'reply', text: 'hi', receivedAt: 0 } as const;

  it('hands the runner its saved state parsed by its schema, without the keys the schema lacks', async () => {
    seen.length = 0;
    const outcome = await runner.resume!(testStepContext({}, { state: { count: 2, stray: true } }), reply);
    expect(seen).toEqual([{ count: 2 }]);
    expect(outcome).toMatchObject({ type: 'pause', state: { count: 3 } });
  });

  it('hands it null for a state that is absent or of another shape (saved by an older version)', async () => {
    seen.length = 0;
    await runner.resume!(testStepContext({}, { state: null }), reply);
    await runner.resume!(testStepContext({}, { state: { count: 'two' } }), reply);
    expect(seen).toEqual([null, null]);
  });

  it('keeps the rest of the step context as the engine built it', async () => {
    const ctx = testStepContext({}, { state: { count: 1 }, runId: 'run-7' });
    const read = defineRunner(counter, {
      state: z.object({ count: z.number() }),
      async run(inner) {
        return { type: 'exit', note: `${inner.runId} ${inner.render('x')} ${inner.state?.count}` };
      },
    });
    expect(await read.run(ctx)).toEqual({ type: 'exit', note: 'run-7 x 1' });
  });
});

describe('triggerRunner', () => {
  it('leaves by the one exit without touching anything', async () => {
    const ctx = testStepContext({ label: 'Go' });
    expect(await triggerRunner.run(ctx)).toEqual({ type: 'exit' });
    expect(ctx.sent).toEqual([]);
  });
});
