import { defineRunner, StepError } from '@convoflow/engine';
import { actOnHelpdesk } from '../shared/run-helpdesk.ts';
import { helpdeskLabels } from './definition.ts';

export const helpdeskLabelsRunner = defineRunner(helpdeskLabels, {
  run: (ctx) =>
    actOnHelpdesk(ctx.services.channel, () => {
      // A label whose variables are unset is left out; the others are still added.
      const labels = [...new Set(ctx.data.labels.map((label) => ctx.render(label).trim()).filter(Boolean))];
      if (labels.length === 0)
        throw new StepError('Every label is empty once its variables are filled in: none to add.');
      return { action: 'labels', labels };
    }),
});
