import type { WorkflowInput } from '@convoflow/engine';

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
 * The canonical CSAT → CRM workflow: ask for a 1–5 rating, POST it to the CRM, thank the contact.
 * Every exit leads somewhere observable: the CRM's `failure` and the question's `timeout` each
 * send their own message, so the chat stand-in shows which branch a run took.
 */
export function csatToCrm(id: string, options: CsatOptions): WorkflowInput {
  return {
    id,
    name: `CSAT to CRM (${id})`,
    nodes: [
      { id: 'start', type: 'trigger.conversationClosed', position: { x: 0, y: 0 }, data: {} },
      {
        id: 'ask',
        type: 'askQuestion',
        position: { x: 0, y: 150 },
        data: {
          question: QUESTION,
          answerType: 'rating',
          min: 1,
          max: 5,
          saveAs: 'rating',
          maxRetries: 0,
          timeout: options.timeout ?? { value: 1, unit: 'hours' },
        },
      },
      {
        id: 'crm',
        type: 'http.request',
        position: { x: 0, y: 300 },
        data: {
          method: 'POST',
          url: `${options.crmUrl}/api/csat`,
          headers: [{ name: 'Content-Type', value: 'application/json' }],
          body: '{"conversationId": "$conversation.id", "rating": $rating}',
          timeoutMs: 10_000,
          retries: options.retries ?? 3,
          saveResponseAs: 'crm',
        },
      },
      { id: 'thanks', type: 'sendMessage', position: { x: 0, y: 450 }, data: { text: THANKS } },
      { id: 'crmDown', type: 'sendMessage', position: { x: 300, y: 450 }, data: { text: CRM_DOWN } },
      { id: 'silence', type: 'sendMessage', position: { x: 300, y: 300 }, data: { text: NO_ANSWER } },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'ask' },
      { id: 'e2', source: 'ask', sourceHandle: 'answered', target: 'crm' },
      { id: 'e3', source: 'ask', sourceHandle: 'timeout', target: 'silence' },
      { id: 'e4', source: 'crm', sourceHandle: 'success', target: 'thanks' },
      { id: 'e5', source: 'crm', sourceHandle: 'failure', target: 'crmDown' },
    ],
    settings: { reenrollment: { mode: 'always' } },
  };
}
