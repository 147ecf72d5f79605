import type { TranscriptMessage } from '../contract/runs.ts';
import { type ChannelClient, quickReplyValue } from '../sdk/runner.ts';
import type { ChannelOutbox } from './channel-outbox.ts';
import type { RunState } from './run-state.ts';

/**
 * The channel a step sends through: the run's channel (never for test runs), then the run's
 * transcript (`record`: written with the step's outcome). Each message's idempotency key names
 * the run, node visit, wait and message, so a re-executed step re-sends under the same keys.
 */
export function runChannel(input: {
  outbox: ChannelOutbox;
  record: (message: TranscriptMessage) => void;
  run: RunState;
  nodeId: string;
  visit: number;
  signal: AbortSignal;
}): ChannelClient {
  const { outbox, record, run, nodeId, visit, signal } = input;
  let sent = 0;
  return {
    send: async (message) => {
      const key = `${run.id}:${nodeId}:${visit}:${run.waitSeq}:${sent++}`;
      if (!run.test) await outbox.send(run, message, key, signal);
      const quickReplies = message.quickReplies ? { quickReplies: message.quickReplies.map(quickReplyValue) } : {};
      record({ from: 'bot', text: message.text, ...quickReplies, at: Date.now() });
    },
  };
}
