import type { RunDetail } from '@convoflow/engine';
import { useState } from 'react';
import { formatDateTime, formatDuration } from '../shared/format.ts';
import { RelativeTime } from '../shared/RelativeTime.tsx';
import { describeStatus, isEnded, StatusBadge } from '../shared/StatusBadge.tsx';
import { Transcript } from '../shared/Transcript.tsx';
import { failedStepsOf } from './failedSteps.ts';
import { StepTimeline } from './StepTimeline.tsx';
import { useStepNames } from './useStepNames.ts';
import { VariablesTable } from './VariablesTable.tsx';
import '../shared/ui.css';

export interface RunDetailViewProps {
  run: RunDetail;
  /** Current time (epoch ms): the duration of a run in progress counts up to it. */
  now: number;
  /** Offered for runs that have not ended, after an inline confirmation. */
  onCancel?: () => void;
  cancelling?: boolean;
}

const triggerLabels: Record<RunDetail['trigger'], string> = {
  'conversation.closed': 'Conversation closed',
  shortcut: 'Agent shortcut',
};

/** Everything about one run: header facts, step timeline, variables and transcript. */
export function RunDetailView({ run, now, onCancel, cancelling = false }: RunDetailViewProps) {
  const [confirming, setConfirming] = useState(false);
  const ended = isEnded(run.status);
  const duration = (run.endedAt ?? now) - run.createdAt;
  const failed = failedStepsOf(run);
  const stepNames = useStepNames(run);
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 18 }}>
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, flexWrap: 'wrap' }}>
        <StatusBadge status={run.status} outcome={run.outcome} label={describeStatus(run)} />
        {run.test && <span className="cf-badge cf-badge--test">Test run</span>}
        <span style={{ flex: 1 }} />
        {!ended && onCancel && !confirming && (
          <button
            type="button"
            className="cf-button cf-button--danger"
            onClick={() => setConfirming(true)}
            disabled={cancelling}
            data-testid="run-cancel"
          >
            {cancelling ? 'Cancelling…' : 'Cancel run'}
          </button>
        )}
      </div>
      {!ended && onCancel && confirming && (
        <div className="cf-note" style={{ display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap' }}>
          <span style={{ flex: 1 }}>Stop this run where it is? It sends nothing more to the contact.</span>
          <button
            type="button"
            className="cf-button cf-button--danger"
            onClick={() => {
              setConfirming(false);
              onCancel();
            }}
          >
            Yes, cancel the run
          </button>
          <button type="button" className="cf-button" onClick={() => setConfirming(false)}>
            Keep it running
          </button>
        </div>
      )}
      {run.status === 'failed' && run.error && (
        <div className="cf-error" role="alert" data-testid="run-error">
          <p className="cf-error__title">{run.error}</p>
        </div>
      )}

      {failed.length > 0 && (
        <div className="cf-note" data-testid="run-failed-steps">
          <p style={{ margin: '0 0 4px', fontWeight: 600 }}>
            {failed.length === 1 ? 'A step left by a failure exit' : `${failed.length} steps left by a failure exit`}
          </p>
          <ul style={{ margin: 0, paddingLeft: 18 }}>
            {failed.map((step) => (
              <li key={step.nodeId} data-testid="run-failed-step" data-node-id={step.nodeId}>
                {step.label} <span className="cf-mono cf-muted">{step.nodeId}</span> left by “{step.exit}”
                {step.reason ? `: ${step.reason}` : ''}
              </li>
            ))}
          </ul>
        </div>
      )}

      <dl className="cf-facts">
        <dt>Workflow version</dt>
        <dd>{run.test ? `draft (test, v${run.workflowVersion})` : `v${run.workflowVersion}`}</dd>
        <dt>Trigger</dt>
        <dd>{triggerLabels[run.trigger]}</dd>
        <dt>Contact</dt>
        <dd>
          {run.contactName ? `${run.contactName} ` : ''}
          <span className="cf-muted cf-mono">{run.contactId}</span>
        </dd>
        <dt>Conversation</dt>
        <dd className="cf-mono">{run.conversationId}</dd>
        <dt>Started</dt>
        <dd>
          {formatDateTime(run.createdAt)} (<RelativeTime at={run.createdAt} now={now} />)
        </dd>
        <dt>{ended ? 'Took' : 'Running for'}</dt>
        <dd data-testid="run-duration">{formatDuration(duration)}</dd>
        {run.currentNodeId && !ended && (
          <>
            <dt>At node</dt>
            <dd className="cf-mono">{run.currentNodeId}</dd>
          </>
        )}
        <dt>Run id</dt>
        <dd className="cf-mono">{run.id}</dd>
      </dl>

      <section aria-labelledby="run-steps-title">
        <h3 className="cf-section-title" id="run-steps-title">
          Steps
        </h3>
        <StepTimeline steps={run.steps} runStartedAt={run.createdAt} stepNames={stepNames} />
      </section>

      <section aria-labelledby="run-variables-title">
        <h3 className="cf-section-title" id="run-variables-title">
          Variables
        </h3>
        <VariablesTable variables={run.variables} />
      </section>

      <section aria-labelledby="run-transcript-title">
        <h3 className="cf-section-title" id="run-transcript-title">
          Transcript
        </h3>
        <Transcript messages={run.transcript} testId="run-transcript" emptyText="Nothing was sent to the contact." />
      </section>
    </div>
  );
}
