import { z } from 'zod';
import { helpdeskNode } from '../shared/helpdesk.ts';

const assigneeId = (title: string, description: string) =>
  z.string().trim().max(100).optional().meta({ title, description });

export const helpdeskAssignSchema = z
  .object({
    agentId: assigneeId('Agent id', "The agent's id in the helpdesk (Chatwoot: Settings → Agents), or a $variable"),
    teamId: assigneeId('Team id', "The team's id in the helpdesk (Chatwoot: Settings → Teams), or a $variable"),
  })
  .refine(
    (data) => Boolean(data.agentId || data.teamId),
    'choose an agent, a team or both to assign the conversation to',
  );
export type HelpdeskAssignData = z.infer<typeof helpdeskAssignSchema>;

export const helpdeskAssign = helpdeskNode({
  type: 'helpdesk.assign',
  label: 'Assign conversation',
  description: 'Assigns the conversation to an agent or a team in the helpdesk.',
  icon: '👤',
  schema: helpdeskAssignSchema,
  helpdesk: 'assign',
  summary: ({ agentId, teamId }) =>
    [agentId?.trim() && `Agent ${agentId.trim()}`, teamId?.trim() && `Team ${teamId.trim()}`]
      .filter(Boolean)
      .join(' · '),
});
