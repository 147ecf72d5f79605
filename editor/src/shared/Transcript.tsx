import type { TranscriptMessage } from '@convoflow/engine';
import { formatDateTime } from './format.ts';
import './ui.css';

export interface TranscriptProps {
  /** The run's transcript, oldest first. */
  messages: readonly TranscriptMessage[];
  /** Shown when there are no messages yet. */
  emptyText?: string;
  /** `data-testid` of the list; each message is `transcript-message` with `data-from`. */
  testId?: string;
  /** Show the answers a bot message offered under it (off where buttons already offer them). */
  showChoices?: boolean;
}

/** A run's conversation as chat bubbles: the bot on the left, the contact on the right. */
export function Transcript({
  messages,
  emptyText = 'No messages yet.',
  testId = 'transcript',
  showChoices = true,
}: TranscriptProps) {
  if (messages.length === 0)
    return (
      <p className="cf-muted" data-testid={testId}>
        {emptyText}
      </p>
    );
  return (
    <ol className="cf-transcript" data-testid={testId} aria-label="Conversation">
      {messages.map((message, index) => (
        <li
          // biome-ignore lint/suspicious/noArrayIndexKey: a transcript only grows at its end
          key={index}
          className={`cf-bubble cf-bubble--${message.from}`}
          data-testid="transcript-message"
          data-from={message.from}
          title={formatDateTime(message.at)}
        >
          <span className="cf-visually-hidden">{message.from === 'bot' ? 'Bot: ' : 'Contact: '}</span>
          <span className="cf-bubble__text">{message.text}</span>
          {showChoices && message.quickReplies && message.quickReplies.length > 0 && (
            <span className="cf-bubble__choices">
              <span className="cf-visually-hidden">Offered answers: </span>
              {message.quickReplies.map((reply) => (
                <span key={reply} className="cf-chip">
                  {reply}
                </span>
              ))}
            </span>
          )}
        </li>
      ))}
    </ol>
  );
}
