import { testStepContext } from '@convoflow/engine';
import { describe, expect, it } from 'vitest';
import { helpdeskLabels } from './definition.ts';
import { helpdeskLabelsRunner } from './run.ts';

const data = helpdeskLabels.schema.parse({ labels: ['low-csat', 'csat-$rating', ' low-csat '] });

describe('helpdesk.labels', () => {
  it('adds each label once with its variables filled in, and leaves by success', async () => {
    const ctx = testStepContext(data, { scope: { rating: 2 } });
    expect(await helpdeskLabelsRunner.run(ctx)).toMatchObject({ type: 'exit', exit: 'success' });
    expect(ctx.acted).toEqual([{ action: 'labels', labels: ['low-csat', 'csat-2'] }]);
  });

  it('leaves out a label that is only an unset variable, and adds the others', async () => {
    const ctx = testStepContext(helpdeskLabels.schema.parse({ labels: ['$topic', 'low-csat'] }));
    expect(await helpdeskLabelsRunner.run(ctx)).toMatchObject({ exit: 'success' });
    expect(ctx.acted).toEqual([{ action: 'labels', labels: ['low-csat'] }]);
    expect(ctx.warnings.join()).toContain('$topic');
  });

  it('adds nothing and leaves by failure when every label is empty once filled in', async () => {
    const ctx = testStepContext(helpdeskLabels.schema.parse({ labels: ['$topic'] }));
    const outcome = await helpdeskLabelsRunner.run(ctx);
    expect(outcome).toEqual({ type: 'exit', exit: 'failure', note: expect.stringContaining('Every label is empty') });
    expect(ctx.acted).toEqual([]);
  });

  it('takes one label at least, none of them empty, and lists them on the card', () => {
    expect(helpdeskLabels.schema.safeParse({ labels: [] }).success).toBe(false);
    expect(helpdeskLabels.schema.safeParse({ labels: ['ok', ' '] }).success).toBe(false);
    expect(helpdeskLabels.summary?.({ labels: ['low-csat', '', 'vip'] })).toBe('low-csat, vip');
  });
});
