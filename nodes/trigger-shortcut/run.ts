import { defineRunner } from '@convoflow/engine';
import { shortcut } from './definition.ts';

/** The engine fills the trigger's variables from the shortcut call; the step itself only leaves. */
export const shortcutRunner = defineRunner(shortcut, {
  run: async () => ({ type: 'exit' }),
});
