import { testStepContext } from '@convoflow/engine';
import { describe, expect, it } from 'vitest';
import { sendMessage } from './definition.ts';
import { sendMessageRunner } from './run.ts';

describe('sendMessage', () => {
  it('renders the text and quick replies and sends them through the channel', async () => {
    const data = sendMessage.schema.parse({
      text: 'Thanks $contact.name, you rated $rating!',
      quickReplies: ['Talk to $assignee.name', 'No thanks'],
    });
    const ctx = testStepContext(data, { scope: { contact: { name: 'Ada' }, rating: 5, assignee: { name: 'Grace' } } });
    const message = { text: 'Thanks Ada, you rated 5!', quickReplies: ['Talk to Grace', 'No thanks'] };
    // The run log shows the message as sent.
    expect(await sendMessageRunner.run(ctx)).toEqual({ type: 'exit', sent: message });
    expect(ctx.sent).toEqual([message]);
  });

  it('sends a missing variable as empty and logs a warning', async () => {
    const ctx = testStepContext(sendMessage.schema.parse({ text: 'Hi $contact.name.' }));
    await sendMessageRunner.run(ctx);
    expect(ctx.sent).toEqual([{ text: 'Hi .' }]);
    expect(ctx.warnings.join()).toContain('$contact.name');
  });

  it('requires a text', () => {
    expect(sendMessage.schema.safeParse({ text: '  ' }).success).toBe(false);
  });
});
