import { testStepContext } from '@convoflow/engine';
import { describe, expect, it } from 'vitest';
import { helpdeskAssign } from './definition.ts';
import { helpdeskAssignRunner } from './run.ts';

const data = helpdeskAssign.schema.parse({ agentId: '$lead.id', teamId: '4' });

describe('helpdesk.assign', () => {
  it('assigns to the agent and the team with variables filled in, and leaves by success', async () => {
    const ctx = testStepContext(data, { scope: { lead: { id: 7 } } });
    expect(await helpdeskAssignRunner.run(ctx)).toMatchObject({ type: 'exit', exit: 'success' });
    expect(ctx.acted).toEqual([{ action: 'assign', assignee: { agentId: '7', teamId: '4' } }]);
  });

  it('assigns to the team alone when the agent id is unset, and fails when neither is left', async () => {
    const teamOnly = testStepContext(data);
    expect(await helpdeskAssignRunner.run(teamOnly)).toMatchObject({ exit: 'success' });
    expect(teamOnly.acted).toEqual([{ action: 'assign', assignee: { teamId: '4' } }]);

    const nobody = testStepContext(helpdeskAssign.schema.parse({ agentId: '$lead.id' }));
    expect(await helpdeskAssignRunner.run(nobody)).toEqual({
      type: 'exit',
      exit: 'failure',
      note: expect.stringContaining('nobody to assign'),
    });
    expect(nobody.acted).toEqual([]);
  });

  it('takes an agent, a team or both, and names them on the card', () => {
    expect(helpdeskAssign.schema.safeParse({}).success).toBe(false);
    expect(helpdeskAssign.schema.safeParse({ agentId: ' ', teamId: '' }).success).toBe(false);
    expect(helpdeskAssign.schema.safeParse({ agentId: '7' }).success).toBe(true);
    expect(helpdeskAssign.summary?.({ agentId: '7', teamId: '4' })).toBe('Agent 7 · Team 4');
    expect(helpdeskAssign.summary?.({ teamId: '4' })).toBe('Team 4');
  });
});
