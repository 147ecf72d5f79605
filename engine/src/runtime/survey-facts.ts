import type { SurveyFacts } from '../stores/analytics-store.ts';
import type { RunState } from './run-state.ts';

/**
 * Agent = the assignee's name (or id), channel = the conversation's channel, from the trigger's
 * variables; connection and inbox from the channel connection the run is bound to, which a
 * shortcut's run has too (its variables name no connection).
 */
export function surveyFacts(run: RunState, nodeId: string): SurveyFacts {
  const assignee = objectAt(run.scope.assignee);
  const conversation = objectAt(run.scope.conversation);
  const agent = nonEmpty(assignee?.name) ?? nonEmpty(assignee?.id);
  const channel = nonEmpty(conversation?.channel);
  const connection = nonEmpty(run.channel?.connectionId);
  const inbox = nonEmpty(run.channel?.inbox);
  return {
    workflowId: run.workflowId,
    nodeId,
    runId: run.id,
    at: Date.now(),
    conversationId: run.conversationId,
    contactId: run.contactId,
    ...(agent ? { agent } : {}),
    ...(channel ? { channel } : {}),
    ...(connection ? { connection } : {}),
    ...(inbox ? { inbox } : {}),
  };
}

function objectAt(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value))
    : undefined;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
