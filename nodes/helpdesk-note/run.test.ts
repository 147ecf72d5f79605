import { StepError, testStepContext } from '@convoflow/engine';
import { describe, expect, it } from 'vitest';
import { runRefused } from '../shared/helpdesk-testing.ts';
import { helpdeskNote } from './definition.ts';
import { helpdeskNoteRunner } from './run.ts';

const data = helpdeskNote.schema.parse({ text: 'CSAT $rating/5 from $contact.name — please follow up' });
const scope = { rating: 2, contact: { name: 'Ada' } };

describe('helpdesk.note', () => {
  it('adds the note with its variables filled in, and leaves by success', async () => {
    const ctx = testStepContext(data, { scope });
    expect(await helpdeskNoteRunner.run(ctx)).toEqual({ type: 'exit', exit: 'success' });
    expect(ctx.acted).toEqual([{ action: 'note', text: 'CSAT 2/5 from Ada — please follow up' }]);
    expect(ctx.sent).toEqual([]);
  });

  it('leaves by failure with the reason when the run has no channel that can add notes', async () => {
    const reason =
      'This run did not come through a channel connection, so there is no helpdesk for adding a private note.';
    expect(await runRefused(helpdeskNoteRunner, data, new StepError(reason))).toEqual({
      type: 'exit',
      exit: 'failure',
      note: reason,
    });
  });

  it('lets a retryable platform error go back to the engine, which retries the step first', async () => {
    const busy = new StepError('POST /conversations/10/messages: Chatwoot answered HTTP 503', { retryable: true });
    await expect(runRefused(helpdeskNoteRunner, data, busy)).rejects.toBe(busy);
  });

  it('adds nothing and leaves by failure when the note is only variables that are not set', async () => {
    const ctx = testStepContext(helpdeskNote.schema.parse({ text: '$followUp.note' }));
    const outcome = await helpdeskNoteRunner.run(ctx);
    expect(outcome).toEqual({ type: 'exit', exit: 'failure', note: expect.stringContaining('The note is empty') });
    expect(ctx.acted).toEqual([]);
    expect(ctx.warnings.join()).toContain('$followUp.note');
  });

  it('requires a text, and shows it on the card', () => {
    expect(helpdeskNote.schema.safeParse({ text: '  ' }).success).toBe(false);
    expect(helpdeskNote.summary?.({ text: ' CSAT $rating/5 ' })).toBe('CSAT $rating/5');
  });
});
