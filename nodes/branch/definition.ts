import { defineNode } from '@convoflow/engine';
import { z } from 'zod';

export const ELSE_EXIT = 'else';

export const branchOperators = ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'contains', 'isEmpty', 'isNotEmpty'] as const;
export type BranchOperator = (typeof branchOperators)[number];

/** Operators that look at the variable only. */
export const unaryOperators: readonly BranchOperator[] = ['isEmpty', 'isNotEmpty'];

const VARIABLE_PATH = /^\$[A-Za-z_][A-Za-z0-9_]*(\.([A-Za-z_][A-Za-z0-9_]*|[0-9]+))*$/;

export const Condition = z.object({
  variable: z
    .string()
    .trim()
    .regex(VARIABLE_PATH, 'write one variable with its "$", e.g. $rating or $contact.name')
    .meta({ title: 'Variable', description: 'The value to test, e.g. $rating' }),
  operator: z.enum(branchOperators).meta({
    title: 'Operator',
    description: 'Compares as numbers when both sides are numbers, else as text',
    optionLabels: {
      eq: 'equals',
      neq: 'does not equal',
      lt: 'is less than',
      lte: 'is at most',
      gt: 'is more than',
      gte: 'is at least',
      contains: 'contains',
      isEmpty: 'is empty',
      isNotEmpty: 'is not empty',
    },
  }),
  value: z
    .union([z.string().max(1000), z.number()])
    .default('')
    .meta({
      title: 'Value',
      description: 'What to compare with; may be another $variable. Unused by isEmpty/isNotEmpty',
    }),
});
export type Condition = z.infer<typeof Condition>;

export const Branch = z.object({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, 'use 1–40 letters, digits, "-" or "_"')
    .refine((id) => id !== ELSE_EXIT, `"${ELSE_EXIT}" is the exit taken when no branch matches: pick another id`)
    .meta({ title: 'Branch id', description: 'Names the exit handle, e.g. "low"', variables: false }),
  label: z.string().trim().max(80).optional().meta({ title: 'Label', description: 'Shown on the handle' }),
  when: z
    .array(Condition)
    .min(1, 'add at least one condition')
    .max(20)
    .meta({ title: 'Conditions', description: 'All must hold for this branch to be taken' }),
});
export type Branch = z.infer<typeof Branch>;

export const branchSchema = z.object({
  branches: z
    .array(Branch)
    .min(1, 'add at least one branch')
    .max(20)
    .superRefine((branches, ctx) => {
      const seen = new Set<string>();
      branches.forEach((branch, index) => {
        if (seen.has(branch.id)) {
          ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `branch id "${branch.id}" is used twice` });
        }
        seen.add(branch.id);
      });
    })
    .meta({
      title: 'Branches',
      description: 'Checked in order; the first whose conditions all hold is taken, else "else"',
    }),
});
export type BranchData = z.infer<typeof branchSchema>;

export const branch = defineNode({
  type: 'branch',
  label: 'Branch',
  group: 'Logic',
  description: 'Takes the first branch whose conditions all hold, or "else".',
  icon: '🔀',
  schema: branchSchema,
  exits: (data) => [...data.branches.map((b) => b.id), ELSE_EXIT],
  variables: () => [],
  summary: (data) => {
    const count = data.branches?.length ?? 0;
    return count ? `${count} branch${count === 1 ? '' : 'es'} + else` : undefined;
  },
  exitLabel: (data, exit) => {
    const label = data.branches?.find((candidate) => candidate?.id === exit)?.label;
    return label?.trim() ? label : undefined;
  },
});
