import { defineRunner } from '@convoflow/engine';
import { branch, type Condition, ELSE_EXIT } from './definition.ts';
import { compare } from './evaluate.ts';

export const branchRunner = defineRunner(branch, {
  async run(ctx) {
    const operand = (value: Condition['value']) => (typeof value === 'number' ? value : ctx.renderValue(value));
    const holds = (condition: Condition) =>
      compare(condition.operator, ctx.renderValue(condition.variable), operand(condition.value));
    const taken = ctx.data.branches.find((candidate) => candidate.when.every(holds));
    return { type: 'exit', exit: taken?.id ?? ELSE_EXIT };
  },
});
