import type { StepLogEntry } from '@convoflow/engine';
import { stepTitle } from '../canvas/node-types.ts';
import { formatDateTime, formatDuration } from '../shared/format.ts';
import { failureExits } from './failedSteps.ts';
import { StepData } from './StepData.tsx';
import '../shared/ui.css';
import './runs.css';

export interface StepTimelineProps {
  /** The run's step log, in order. */
  steps: readonly StepLogEntry[];
  /** When the run started (epoch ms): each step shows its offset from it. */
  runStartedAt: number;
  /** Step id → the name an operator gave it (`useStepNames`); unnamed steps show their type. */
  stepNames?: Readonly<Record<string, string>>;
}

const outcomeLabels: Record<StepLogEntry['outcome'], string> = {
  exited: 'done',
  paused: 'paused',
  failed: 'failed',
  retried: 'retried',
};

/** The step log as a timeline: node label (id secondary), start offset, duration, exit taken, errors and warnings. */
export function StepTimeline({ steps, runStartedAt, stepNames = {} }: StepTimelineProps) {
  if (steps.length === 0) return <p className="cf-muted">No step has run yet.</p>;
  return (
    <ol className="cf-timeline" aria-label="Steps" data-testid="step-timeline">
      {steps.map((step, index) =>
        step.outcome === 'retried' ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the log only grows at its end
          <RetryDivider key={index} entry={step} name={stepNames[step.nodeId]} />
        ) : (
          <li
            // biome-ignore lint/suspicious/noArrayIndexKey: the log only grows at its end; a node may repeat
            key={index}
            className={`cf-step cf-step--${step.outcome}`}
            data-testid="step"
            data-node-id={step.nodeId}
            data-outcome={step.outcome}
          >
            <div className="cf-step__head">
              <span className="cf-step__node" data-testid="step-name">
                {stepTitle(step.nodeType, stepNames[step.nodeId])}
              </span>
              <span className="cf-step__meta cf-mono" title={`Step id (type ${step.nodeType})`}>
                {step.nodeId}
              </span>
              <span className={`cf-badge cf-badge--${badgeTone(step.outcome)}`}>{outcomeLabels[step.outcome]}</span>
              {step.exit && (
                <span
                  className={`cf-chip${failureExits.has(step.exit) ? ' cf-chip--warn' : ''}`}
                  data-testid="step-exit"
                  title="Exit taken"
                >
                  → {step.exit}
                </span>
              )}
            </div>
            <div className="cf-step__meta">
              <time dateTime={new Date(step.startedAt).toISOString()} title={formatDateTime(step.startedAt)}>
                +{formatDuration(Math.max(0, step.startedAt - runStartedAt))}
              </time>
              {' · took '}
              <span data-testid="step-duration">{formatDuration(step.durationMs)}</span>
            </div>
            {step.error && (
              <p className="cf-step__error" data-testid="step-error" role="note">
                {step.error}
              </p>
            )}
            {step.warnings?.map((warning) => (
              <p key={warning} className="cf-step__warning" data-testid="step-warning">
                ⚠ {warning}
              </p>
            ))}
            {step.note && <p className="cf-step__note cf-muted">{step.note}</p>}
            <StepData sent={step.sent} received={step.received} />
          </li>
        ),
      )}
    </ol>
  );
}

/** Where an operator retried the run: the entries after it are the new attempt's. */
function RetryDivider({ entry, name }: { entry: StepLogEntry; name: string | undefined }) {
  const step = `${stepTitle(entry.nodeType, name)} (${entry.nodeId})`;
  return (
    <li className="cf-step-retry" data-testid="step-retried" data-node-id={entry.nodeId}>
      <span>
        Retried from {step}
        {entry.retriedBy ? ` by ${entry.retriedBy}` : ''},{' '}
        <time dateTime={new Date(entry.startedAt).toISOString()}>{formatDateTime(entry.startedAt)}</time>
      </span>
      {entry.note && <span className="cf-muted"> · {entry.note}</span>}
    </li>
  );
}

function badgeTone(outcome: StepLogEntry['outcome']): string {
  if (outcome === 'failed') return 'failed';
  if (outcome === 'paused') return 'waiting';
  return 'completed';
}
