import type { Scenario } from '../../e2e/scenario.ts';
import { closedEvent } from '../../stand-ins/chat-platform.ts';

/**
 * A real run of the published CSAT workflow, driven through the chat platform: a conversation
 * closes, the survey question goes out, the contact answers `rating`. Returns the run's id once
 * the answer is in (the run may still be finishing).
 */
export async function answeredRun(scenario: Scenario, rating: string): Promise<string> {
  const { product, chat } = scenario;
  const event = closedEvent();
  const { runs } = (await product.platform.sendConversationClosed(event)).body as { runs: string[] };
  const runId = runs.find(Boolean) ?? '';
  await chat.nextMessage(event.conversation.id);
  await product.platform.sendReply({
    conversationId: event.conversation.id,
    contactId: event.contact.id,
    text: rating,
  });
  return runId;
}
