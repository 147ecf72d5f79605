import { defineRunner, StepError } from '@convoflow/engine';
import { actOnHelpdesk } from '../shared/run-helpdesk.ts';
import { helpdeskAssign } from './definition.ts';

export const helpdeskAssignRunner = defineRunner(helpdeskAssign, {
  run: (ctx) =>
    actOnHelpdesk(ctx.services.channel, () => {
      const agentId = ctx.data.agentId ? ctx.render(ctx.data.agentId).trim() : '';
      const teamId = ctx.data.teamId ? ctx.render(ctx.data.teamId).trim() : '';
      if (!agentId && !teamId) {
        throw new StepError('The agent and team ids are empty once their variables are filled in: nobody to assign.');
      }
      return { action: 'assign', assignee: { ...(agentId ? { agentId } : {}), ...(teamId ? { teamId } : {}) } };
    }),
});
