import { defineRunner } from '@convoflow/engine';
import { conversationClosed } from './definition.ts';

/** The engine fills the trigger's variables from the event; the step itself only leaves. */
export const conversationClosedRunner = defineRunner(conversationClosed, {
  run: async () => ({ type: 'exit' }),
});
