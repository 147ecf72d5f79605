import { defineRunner } from '@convoflow/engine';
import { sendMessage } from './definition.ts';

export const sendMessageRunner = defineRunner(sendMessage, {
  async run(ctx) {
    const quickReplies = ctx.data.quickReplies?.map((reply) => ctx.render(reply)).filter((reply) => reply !== '');
    const message = { text: ctx.render(ctx.data.text), ...(quickReplies?.length ? { quickReplies } : {}) };
    await ctx.services.channel.send(message);
    // The run log shows the message as the contact got it, variables filled in.
    return { type: 'exit', sent: message };
  },
});
