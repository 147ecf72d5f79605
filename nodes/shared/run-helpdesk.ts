import { type ChannelClient, type HelpdeskRequest, type Json, StepError, type StepOutcome } from '@convoflow/engine';

/**
 * Asks the run's channel for the request `build` makes, and leaves by `success`, or by `failure`
 * with the reason in the step's note when the request cannot be made or the platform refused it
 * for good (no channel, a channel without that action, a 4xx). A retryable error (network, 429,
 * 5xx) and anything that is not the step's failure (Redis unreachable) go back to the engine,
 * which retries the step with backoff first. The run log shows the request as sent.
 */
export async function actOnHelpdesk(channel: ChannelClient, build: () => HelpdeskRequest): Promise<StepOutcome> {
  let request: HelpdeskRequest | undefined;
  try {
    request = build();
    await channel.act(request);
  } catch (error) {
    if (!(error instanceof StepError) || error.retryable) throw error;
    return { type: 'exit', exit: 'failure', note: error.message, ...(request ? { sent: sentOf(request) } : {}) };
  }
  return { type: 'exit', exit: 'success', sent: sentOf(request) };
}

function sentOf(request: HelpdeskRequest): Json {
  const { action, text, labels, assignee } = request;
  return {
    action,
    ...(text === undefined ? {} : { text }),
    ...(labels === undefined ? {} : { labels: [...labels] }),
    ...(assignee === undefined ? {} : { assignee: { ...assignee } }),
  };
}
