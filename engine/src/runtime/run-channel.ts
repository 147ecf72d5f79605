import type { TranscriptMessage } from '../contract/runs.ts';
import type { HelpdeskRequest } from '../sdk/channel-adapter.ts';
import { StepError } from '../sdk/errors.ts';
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
  /** A line for the step's log: what a test run would have asked of the helpdesk. */
  note: (text: string) => void;
  /** This execution is the job's last attempt: a helpdesk step failing now for good leaves by its exit, not the run. */
  finalAttempt: boolean;
  run: RunState;
  nodeId: string;
  visit: number;
  signal: AbortSignal;
}): ChannelClient {
  const { outbox, record, note, run, nodeId, visit, signal, finalAttempt } = input;
  let sent = 0;
  const nextKey = () => `${run.id}:${nodeId}:${visit}:${run.waitSeq}:${sent++}`;
  return {
    act: async (request) => {
      const key = nextKey();
      if (run.test) {
        note(`A test run does not touch the helpdesk: ${describeRequest(request)} was not done.`);
        return;
      }
      try {
        await outbox.act(run, request, key, signal);
      } catch (error) {
        if (finalAttempt && error instanceof StepError && error.retryable) {
          throw new StepError(`${error.message} (still failing after the engine's retries)`, { cause: error });
        }
        throw error;
      }
    },
    send: async (message) => {
      const key = nextKey();
      if (!run.test) await outbox.send(run, message, key, signal);
      const quickReplies = message.quickReplies ? { quickReplies: message.quickReplies.map(quickReplyValue) } : {};
      record({ from: 'bot', text: message.text, ...quickReplies, at: Date.now() });
    },
  };
}

/** A helpdesk request in words, for logs. */
export function describeRequest(request: HelpdeskRequest): string {
  switch (request.action) {
    case 'note':
      return 'adding a private note';
    case 'labels':
      return `adding the labels ${(request.labels ?? []).join(', ')}`;
    case 'assign':
      return 'assigning the conversation';
    case 'resolve':
      return 'resolving the conversation';
  }
}
