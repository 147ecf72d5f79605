import { defineRunner, StepError } from '@convoflow/engine';
import { actOnHelpdesk } from '../shared/run-helpdesk.ts';
import { helpdeskNote } from './definition.ts';

export const helpdeskNoteRunner = defineRunner(helpdeskNote, {
  run: (ctx) =>
    actOnHelpdesk(ctx.services.channel, () => {
      const text = ctx.render(ctx.data.text).trim();
      if (!text) throw new StepError('The note is empty once its variables are filled in: nothing to add.');
      return { action: 'note', text };
    }),
});
