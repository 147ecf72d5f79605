import type { RunDetail } from '@convoflow/engine';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useCanvasStore } from '../canvas/store.ts';
import { failedStepsOf } from '../runs/failedSteps.ts';
import { stepNamesOf } from '../runs/useStepNames.ts';
import { Skeleton } from '../shared/Skeleton.tsx';
import { describeStatus, StatusBadge } from '../shared/StatusBadge.tsx';
import { Transcript } from '../shared/Transcript.tsx';
import { answerChoices } from './answerChoices.ts';
import '../shared/ui.css';

export interface ChatViewProps {
  /** The simulated run as last read; undefined while it is being created. */
  run: RunDetail | undefined;
  /** An answer is on its way: the answer controls are disabled meanwhile. */
  sending?: boolean;
  /** Sends `text` as the contact's reply. */
  onReply: (text: string) => void;
}

/** The simulated conversation: the bot's messages, the run's status and the contact's answer box. */
export function ChatView({ run, sending = false, onReply }: ChatViewProps) {
  const [draft, setDraft] = useState('');
  const scroller = useRef<HTMLDivElement>(null);
  const messageCount = run?.transcript.length ?? 0;
  // A test run runs the saved draft: its steps are named as on the canvas.
  const nodes = useCanvasStore((state) => state.nodes);

  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll when a message arrives
  useEffect(() => {
    const element = scroller.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [messageCount]);

  if (!run) return <Skeleton lines={2} label="Starting the test run…" />;

  const waitingForReply = run.status === 'waiting' && run.waitingFor === 'reply';
  const lastBotMessage = run.transcript.findLast((message) => message.from === 'bot');
  const choices = answerChoices(lastBotMessage?.quickReplies);
  const canAnswer = waitingForReply && !sending;
  const failure = run.error ?? run.steps.findLast((step) => step.error)?.error;

  const send = (event: FormEvent) => {
    event.preventDefault();
    const text = draft.trim();
    if (!text || !canAnswer) return;
    onReply(text);
    setDraft('');
  };

  return (
    <div className="cf-chat">
      <div ref={scroller} className="cf-chat__messages" style={{ overflow: 'auto', flex: 1, minHeight: 0 }}>
        <Transcript
          messages={run.transcript}
          testId="sim-transcript"
          showChoices={false}
          emptyText="No message yet: the workflow has not sent anything."
        />
      </div>

      <div
        className="cf-chat__status"
        role="status"
        aria-live="polite"
        data-testid="sim-status"
        data-status={run.status}
      >
        <StatusBadge status={run.status} outcome={run.outcome} label={describeStatus(run)} />
        {run.status === 'completed' && <span className="cf-muted">{endOfRun(run, stepNamesOf(nodes))}</span>}
      </div>
      {run.status === 'failed' && failure && (
        <p className="cf-step__error" data-testid="sim-error">
          {failure}
        </p>
      )}

      {waitingForReply && (
        <fieldset className="cf-chat__answers" style={{ border: 0, padding: 0, margin: 0 }} disabled={!canAnswer}>
          <legend className="cf-visually-hidden">Quick answers</legend>
          {choices.kind === 'stars' &&
            choices.values.map((value) => (
              <button
                key={value}
                type="button"
                className="cf-star"
                aria-label={`${value} ${value === 1 ? 'star' : 'stars'}`}
                data-testid={`sim-answer-${value}`}
                onClick={() => onReply(String(value))}
              >
                <span className="cf-star__glyph" aria-hidden="true">
                  ★
                </span>
                <span className="cf-star__value" aria-hidden="true">
                  {value}
                </span>
              </button>
            ))}
          {choices.kind === 'numbers' &&
            choices.values.map((value) => (
              <button
                key={value}
                type="button"
                className="cf-button"
                aria-label={`Answer ${value}`}
                data-testid={`sim-answer-${value}`}
                onClick={() => onReply(String(value))}
              >
                {value}
              </button>
            ))}
          {choices.kind === 'options' &&
            choices.values.map((value) => (
              <button
                key={value}
                type="button"
                className="cf-button"
                data-testid={`sim-answer-${value}`}
                onClick={() => onReply(value)}
              >
                {value}
              </button>
            ))}
        </fieldset>
      )}

      <form className="cf-chat__input" onSubmit={send}>
        <label className="cf-visually-hidden" htmlFor="sim-reply">
          Reply as the contact
        </label>
        <input
          id="sim-reply"
          className="cf-input"
          data-testid="sim-reply-input"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          disabled={!canAnswer}
          placeholder={waitingForReply ? 'Type the contact’s reply…' : 'The workflow is not waiting for a reply'}
          autoComplete="off"
        />
        <button type="submit" className="cf-button cf-button--primary" disabled={!canAnswer || !draft.trim()}>
          {sending ? 'Sending…' : 'Send'}
        </button>
      </form>
    </div>
  );
}

/** How a completed run ended: at the end of the workflow, or after a step that left by a failure exit. */
function endOfRun(run: RunDetail, stepNames: Readonly<Record<string, string>>): string {
  const [first, ...others] = failedStepsOf(run, stepNames);
  if (!first) return 'The run reached the end of the workflow.';
  const more = others.length > 0 ? ` (and ${others.length} more)` : '';
  const reason = first.reason ? `: ${first.reason.replace(/\.$/, '')}` : '';
  return `The run ended, but step ${first.label} (${first.nodeId}) left by ${first.exit}${reason}${more}.`;
}
