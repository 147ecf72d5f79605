import { testStepContext } from '@convoflow/engine';
import { describe, expect, it } from 'vitest';
import { type BranchOperator, branch, branchSchema } from './definition.ts';
import { compare } from './evaluate.ts';
import { branchRunner } from './run.ts';

describe('branch operators', () => {
  it.each<[BranchOperator, unknown, unknown, boolean]>([
    ['eq', 4, '4', true],
    ['eq', '4.0', 4, true],
    ['eq', 'Yes', ' yes ', true],
    ['eq', 'yes', 'no', false],
    ['neq', 4, 5, true],
    ['neq', 'a', 'A', false],
    ['lt', 2, '3', true],
    ['lt', 10, 9, false],
    ['lt', '10', '9', false],
    ['lte', 2, 2, true],
    ['lte', 3, 2, false],
    ['gt', 5, 4, true],
    ['gt', 'b', 'a', true],
    ['gte', 4, 4, true],
    ['gte', 3, 4, false],
    ['contains', 'The agent was very helpful', 'HELPFUL', true],
    ['contains', 'rude', 'helpful', false],
    ['contains', ['billing', 'refund'], 'Refund', true],
    ['contains', 'anything', '', false],
    ['isEmpty', '', '', true],
    ['isEmpty', '   ', '', true],
    ['isEmpty', null, '', true],
    ['isEmpty', undefined, '', true],
    ['isEmpty', [], '', true],
    ['isEmpty', {}, '', true],
    ['isEmpty', 0, '', false],
    ['isEmpty', 'x', '', false],
    ['isNotEmpty', 'x', '', true],
    ['isNotEmpty', '', '', false],
  ])('%s(%j, %j) = %j', (operator, left, right, expected) => {
    expect(compare(operator, left, right)).toBe(expected);
  });
});

describe('branch schema', () => {
  it('makes one exit per branch plus "else"', () => {
    const data = branchSchema.parse({
      branches: [
        { id: 'low', when: [{ variable: '$rating', operator: 'lte', value: 2 }] },
        { id: 'high', when: [{ variable: '$rating', operator: 'gte', value: '4' }] },
      ],
    });
    expect(branch.exits(data)).toEqual(['low', 'high', 'else']);
  });

  it.each([
    [[{ id: 'else', when: [{ variable: '$a', operator: 'eq' }] }], 'branches.0.id'],
    [
      [
        { id: 'a', when: [{ variable: '$a', operator: 'eq' }] },
        { id: 'a', when: [{ variable: '$b', operator: 'eq' }] },
      ],
      'branches.1.id',
    ],
    [[{ id: 'a', when: [{ variable: 'rating', operator: 'eq' }] }], 'branches.0.when.0.variable'],
    [[{ id: 'a', when: [] }], 'branches.0.when'],
    [[], 'branches'],
  ])('rejects %j at %s', (branches, path) => {
    const parsed = branchSchema.safeParse({ branches });
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });
});

describe('branch runner', () => {
  const data = branchSchema.parse({
    branches: [
      {
        id: 'detractor',
        when: [
          { variable: '$rating', operator: 'lte', value: 2 },
          { variable: '$conversation.channel', operator: 'eq', value: 'whatsapp' },
        ],
      },
      { id: 'low', when: [{ variable: '$rating', operator: 'lte', value: '$threshold' }] },
      { id: 'noComment', when: [{ variable: '$comment', operator: 'isEmpty' }] },
    ],
  });
  const exitFor = async (scope: Record<string, unknown>) => {
    const outcome = await branchRunner.run(testStepContext(data, { scope }));
    return outcome.type === 'exit' ? outcome.exit : undefined;
  };

  it('takes the first branch whose conditions all hold', async () => {
    expect(await exitFor({ rating: 1, conversation: { channel: 'WhatsApp' }, threshold: 3 })).toBe('detractor');
    expect(await exitFor({ rating: 1, conversation: { channel: 'web' }, threshold: 3 })).toBe('low');
    expect(await exitFor({ rating: '3', conversation: { channel: 'web' }, threshold: 3 })).toBe('low');
  });

  it('compares with another variable and falls through to "else"', async () => {
    expect(await exitFor({ rating: 5, conversation: { channel: 'web' }, threshold: 3, comment: 'great' })).toBe('else');
    expect(await exitFor({ rating: 5, conversation: { channel: 'web' }, threshold: 3 })).toBe('noComment');
  });
});
