import { defineRunner } from '@convoflow/engine';
import { actOnHelpdesk } from '../shared/run-helpdesk.ts';
import { helpdeskResolve } from './definition.ts';

export const helpdeskResolveRunner = defineRunner(helpdeskResolve, {
  run: (ctx) => actOnHelpdesk(ctx.services.channel, () => ({ action: 'resolve' })),
});
