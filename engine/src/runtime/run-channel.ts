import type { TranscriptMessage } from '../contract/runs.ts';
import type { ChannelClient } from '../sdk/runner.ts';
import type { ChannelWebhook } from './channel-webhook.ts';
import type { RunState } from './run-state.ts';

/**
 * The channel a step sends through: the platform's webhook (never for test runs), then the
 * run's transcript (`record`: written with the step's outcome). Each message's idempotency key
 * names the run, node visit, wait and message, so a re-executed step re-sends under the same keys.
 */
export function runChannel(input: {
  webhook: ChannelWebhook;
  record: (message: TranscriptMessage) => void;
  run: RunState;
  nodeId: string;
  visit: number;
  signal: AbortSignal;
}): ChannelClient {
  const { webhook, record, run, nodeId, visit, signal } = input;
  let sent = 0;
  return {
    send: async (message) => {
      const key = `${run.id}:${nodeId}:${visit}:${run.waitSeq}:${sent++}`;
      const quickReplies = message.quickReplies ? { quickReplies: message.quickReplies } : {};
      if (!run.test) {
        await webhook.post(
          {
            runId: run.id,
            conversationId: run.conversationId,
            contactId: run.contactId,
            text: message.text,
            ...quickReplies,
          },
          key,
          signal,
        );
      }
      record({ from: 'bot', text: message.text, ...quickReplies, at: Date.now() });
    },
  };
}
