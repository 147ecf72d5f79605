import { defineRunner, durationToMs } from '@convoflow/engine';
import { z } from 'zod';
import { wait } from './definition.ts';

const WaitState = z.object({ until: z.number() });

export const waitRunner = defineRunner(wait, {
  state: WaitState,
  async run(ctx) {
    const ms = durationToMs(ctx.data.duration);
    return { type: 'pause', wait: { kind: 'delay', ms }, state: { until: ctx.services.now() + ms } };
  },
  /** A delay ends with its timeout; a reply that reaches a waiting delay does not shorten it. */
  async resume(ctx, event) {
    if (event.kind === 'deadline') return { type: 'exit' };
    if (!ctx.state) return { type: 'exit', note: 'the delay had no recorded end; continuing' };
    const ms = Math.max(0, ctx.state.until - ctx.services.now());
    return { type: 'pause', wait: { kind: 'delay', ms }, state: ctx.state };
  },
});
