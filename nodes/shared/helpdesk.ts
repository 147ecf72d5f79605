import { defineNode, type HelpdeskAction, type NodeDefinition } from '@convoflow/engine';
import type { z } from 'zod';

/** The exits of every helpdesk step: the platform did it, or it could not (the reason is in the step's note). */
export const helpdeskExits = ['success', 'failure'] as const;

type HelpdeskNodeSpec<Type extends string, Schema extends z.ZodType> = Omit<
  NodeDefinition<Type, Schema>,
  'group' | 'exits' | 'variables' | 'helpdesk'
> & { helpdesk: HelpdeskAction };

/**
 * A step carried out in the helpdesk of the run's conversation, through the channel connection
 * the run came by. It adds no variables, and publishing checks the trigger's channels can do it.
 */
export function helpdeskNode<const Type extends string, Schema extends z.ZodType>(
  spec: HelpdeskNodeSpec<Type, Schema>,
): NodeDefinition<Type, Schema> {
  return defineNode({ ...spec, group: 'Actions', exits: () => helpdeskExits, variables: () => [] });
}
