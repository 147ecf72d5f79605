import { defineRunner } from '@convoflow/engine';
import { sendMessage } from './definition.ts';

export const sendMessageRunner = defineRunner(sendMessage, {
  async run(ctx) {
    const quickReplies = ctx.data.quickReplies?.map((reply) => ctx.render(reply)).filter((reply) => reply !== '');
    await ctx.services.channel.send({
      text: ctx.render(ctx.data.text),
      ...(quickReplies?.length ? { quickReplies } : {}),
    });
    return { type: 'exit' };
  },
});
