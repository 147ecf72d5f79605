import { testStepContext } from '@convoflow/engine';
import { describe, expect, it } from 'vitest';
import { helpdeskNote } from './definition.ts';
import { helpdeskNoteRunner } from './run.ts';

const data = helpdeskNote.schema.parse({ text: 'CSAT $rating/5 from $contact.name — please follow up' });
const scope = { rating: 2, contact: { name: 'Ada' } };

describe('helpdesk.note', () => {
  it('adds the note with its variables filled in, and leaves by success', async () => {
    const ctx = testStepContext(data, { scope });
    expect(await helpdeskNoteRunner.run(ctx)).toMatchObject({ type: 'exit', exit: 'success' });
    expect(ctx.acted).toEqual([{ action: 'note', text: 'CSAT 2/5 from Ada — please follow up' }]);
    expect(ctx.sent).toEqual([]);
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
