import type { WorkflowInput } from '@convoflow/engine';
import { example } from '../../support/examples.ts';

export const QUESTION = 'How satisfied are you with this experience?';
export const THANKS = 'Thank you for your feedback!';
export const CRM_DOWN = 'We could not record your answer.';
export const NO_ANSWER = 'No answer received.';

export interface CsatOptions {
  /** The CRM stand-in's base URL: the step POSTs to `${crmUrl}/api/csat`. */
  crmUrl: string;
  /** Reply timeout of the question (default one hour, far beyond any test). */
  timeout?: { value: number; unit: 'seconds' | 'minutes' | 'hours' };
  /** Extra attempts of the HTTP step after a 5xx, 429 or network error (default 3). */
  retries?: number;
}

/**
 * The shipped CSAT → CRM example, pointed at `crmUrl`, with every exit leading somewhere
 * observable: the CRM's `failure` and the question's `timeout` each send their own message, so
 * the chat stand-in shows which branch a run took. The CRM stand-in takes no token, so the
 * example's `{{secret:crm-token}}` header is left out (no secret to store first).
 */
export function csatToCrm(id: string, options: CsatOptions): WorkflowInput {
  const workflow = example('csat-crm-http');
  const step = (nodeId: string) => {
    const node = workflow.nodes.find((candidate) => candidate.id === nodeId);
    if (!node) throw new Error(`examples/csat-crm-http.json has no "${nodeId}" step`);
    return node;
  };
  const ask = step('ask');
  // No retry prompt: a wrong answer ends the question, so a run's messages are known in advance.
  ask.data = { ...ask.data, maxRetries: 0, timeout: options.timeout ?? { value: 1, unit: 'hours' } };
  const crm = step('crm');
  crm.data = {
    ...crm.data,
    url: `${options.crmUrl}/api/csat`,
    headers: [{ name: 'Content-Type', value: 'application/json' }],
    retries: options.retries ?? 3,
  };
  return {
    ...workflow,
    id,
    name: `CSAT to CRM (${id})`,
    nodes: [
      ...workflow.nodes,
      { id: 'crmDown', type: 'sendMessage', position: { x: 300, y: 450 }, data: { text: CRM_DOWN } },
      { id: 'silence', type: 'sendMessage', position: { x: 300, y: 300 }, data: { text: NO_ANSWER } },
    ],
    edges: [
      ...workflow.edges,
      { id: 'ask-silence', source: 'ask', sourceHandle: 'timeout', target: 'silence' },
      { id: 'crm-down', source: 'crm', sourceHandle: 'failure', target: 'crmDown' },
    ],
    settings: { reenrollment: { mode: 'always' } },
  };
}
