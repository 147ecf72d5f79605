import { defineRunner, durationToMs, type Json } from '@convoflow/engine';
import { z } from 'zod';
import { wait } from './definition.ts';

const WaitState = z.object({ until: z.number() });

export const waitRunner = defineRunner(wait, {
  async run(ctx) {
    const ms = durationToMs(ctx.data.duration);
    const state: Json = { until: ctx.services.now() + ms };
    return { type: 'pause', wait: { kind: 'delay', ms }, state };
  },
  /** A delay ends with its timeout; a reply that reaches a waiting delay does not shorten it. */
  async resume(ctx, event) {
    if (event.kind === 'timeout') return { type: 'exit' };
    const state = WaitState.safeParse(ctx.state);
    if (!state.success) return { type: 'exit', note: 'the delay had no recorded end; continuing' };
    const ms = Math.max(0, state.data.until - ctx.services.now());
    return { type: 'pause', wait: { kind: 'delay', ms }, state: ctx.state };
  },
});
