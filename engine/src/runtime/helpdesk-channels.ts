import { z } from 'zod';
import type { ChannelConnectionSummary, ConnectionSummary } from '../contract/connections.ts';
import type { ValidationProblem } from '../contract/workflows.ts';
import type { ChannelRegistry, HelpdeskAction } from '../sdk/define-channel.ts';
import type { AnyNodeDefinition } from '../sdk/define-node.ts';
import type { WorkflowNode } from '../workflow/schema.ts';
import { parseWithSchema } from '../workflow/validate-data.ts';

/**
 * What publishing checks of helpdesk steps (`NodeDefinition.helpdesk`): a trigger limited to
 * channel connections (its `channels` filter naming their ids) runs only on those, so each must
 * be able to do every helpdesk step of the workflow. A trigger without such a filter is accepted:
 * a run from a channel that cannot do a step leaves it by `failure`, with the reason.
 */

/** A well-formed node of the document and its type's definition. */
export interface KnownNode {
  node: WorkflowNode;
  definition: AnyNodeDefinition;
}

/** The helpdesk steps of a workflow and what its trigger's channel filter names. */
export interface HelpdeskDemand {
  steps: Array<{ nodeId: string; label: string; action: HelpdeskAction }>;
  /** The filter's entries, compared as the trigger compares them: trimmed, case-insensitive. */
  filter: ReadonlySet<string>;
}

/** The conversation-closed trigger's filter, by channel (e.g. `whatsapp`) or connection id. */
const ChannelFilter = z.object({ channels: z.array(z.string()) });

/** Null when there is nothing to check: no helpdesk step, or a trigger open to every channel. */
export function helpdeskDemand(nodes: readonly KnownNode[]): HelpdeskDemand | null {
  const steps = nodes.flatMap(({ node, definition }) =>
    definition.helpdesk ? [{ nodeId: node.id, label: definition.label, action: definition.helpdesk }] : [],
  );
  const trigger = nodes.find(({ definition }) => definition.trigger?.event === 'conversation.closed');
  if (steps.length === 0 || !trigger) return null;
  const parsed = parseWithSchema(trigger.definition.schema, trigger.node.data);
  const filter = parsed.ok ? ChannelFilter.safeParse(parsed.data) : null;
  const entries = filter?.success ? filter.data.channels.map(comparable).filter(Boolean) : [];
  return entries.length === 0 ? null : { steps, filter: new Set(entries) };
}

/**
 * One problem per helpdesk step and named channel connection that cannot do it. Entries that
 * name no channel connection are a platform's channel (`whatsapp`), which any connection may carry.
 */
export function helpdeskProblems(
  demand: HelpdeskDemand,
  connections: readonly ConnectionSummary[],
  channels: ChannelRegistry,
): ValidationProblem[] {
  const named = connections.filter(
    (connection): connection is ChannelConnectionSummary =>
      connection.type === 'channel' && demand.filter.has(comparable(connection.id)),
  );
  return demand.steps.flatMap((step) =>
    named.flatMap((connection) => {
      const channel = Object.hasOwn(channels, connection.channel) ? channels[connection.channel] : undefined;
      if (channel?.actions.includes(step.action)) return [];
      const able = Object.values(channels).filter((candidate) => candidate.actions.includes(step.action));
      const instead = able.length
        ? `remove the step or limit the trigger to ${able.map((candidate) => `a ${candidate.label} connection`).join(' or ')}`
        : 'remove the step';
      return [
        {
          nodeId: step.nodeId,
          message: `${step.label}: the ${channel?.label ?? connection.channel} connection "${connection.id}" cannot ${actionWords[step.action]}; ${instead}.`,
        },
      ];
    }),
  );
}

const actionWords: Record<HelpdeskAction, string> = {
  note: 'add private notes',
  labels: 'add labels',
  assign: 'assign conversations',
  resolve: 'resolve conversations',
};

function comparable(entry: string): string {
  return entry.trim().toLowerCase();
}
