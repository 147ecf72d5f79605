import type { RunDetail } from '@convoflow/engine';
import { type ReactNode, useState } from 'react';
import { useCan } from '../app/useMe.ts';
import { formatDateTime, formatDuration } from '../shared/format.ts';
import { RelativeTime } from '../shared/RelativeTime.tsx';
import { describeStatus, isEnded, StatusBadge } from '../shared/StatusBadge.tsx';
import { Transcript } from '../shared/Transcript.tsx';
import { failedStepsOf } from './failedSteps.ts';
import { retryStepOf } from './retryStep.ts';
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
  /** Offered for a published run that ended by a failure, after an inline confirmation: retries it from the step. */
  onRetry?: (nodeId: string) => void;
  retrying?: boolean;
}

const triggerLabels: Record<RunDetail['trigger'], string> = {
  'conversation.closed': 'Conversation closed',
  shortcut: 'Agent shortcut',
};

/**
 * Everything about one run: header facts, step timeline, variables and transcript. Cancel and
 * retry are offered to keys that may change runs (editor and up), not to a viewer's.
 */
export function RunDetailView({
  run,
  now,
  onCancel: cancelOffered,
  cancelling = false,
  onRetry: retryOffered,
  retrying = false,
}: RunDetailViewProps) {
  const canChange = useCan('editor');
  const onCancel = canChange ? cancelOffered : undefined;
  const onRetry = canChange ? retryOffered : undefined;
  const [confirming, setConfirming] = useState(false);
  const [confirmingRetry, setConfirmingRetry] = useState(false);
  const retryStep = onRetry ? retryStepOf(run) : null;
  const ended = isEnded(run.status);
  const duration = (run.endedAt ?? now) - run.createdAt;
  const stepNames = useStepNames(run);
  const failed = failedStepsOf(run, stepNames);
  const retryLabel = retryStep ? (stepNames[retryStep.nodeId] ?? retryStep.label) : '';
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
        {retryStep && !confirmingRetry && (
          <button
            type="button"
            className="cf-button cf-button--primary"
            onClick={() => setConfirmingRetry(true)}
            disabled={retrying}
            data-testid="run-retry"
          >
            {retrying ? 'Retrying…' : `Retry from ${retryLabel}`}
          </button>
        )}
      </div>
      {retryStep && onRetry && confirmingRetry && (
        <InlineConfirm
          confirm="Yes, retry"
          dismiss="Not now"
          onConfirm={() => onRetry(retryStep.nodeId)}
          onClose={() => setConfirmingRetry(false)}
        >
          Run this again from {retryLabel} <span className="cf-mono">{retryStep.nodeId}</span>, with its variables, on
          the published version of the workflow? The steps after it run again.
        </InlineConfirm>
      )}
      {!ended && onCancel && confirming && (
        <InlineConfirm
          danger
          confirm="Yes, cancel the run"
          dismiss="Keep it running"
          onConfirm={onCancel}
          onClose={() => setConfirming(false)}
        >
          Stop this run where it is? It sends nothing more to the contact.
        </InlineConfirm>
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

/** A question under the header before an action on the run: confirming or dismissing closes it. */
function InlineConfirm(props: {
  children: ReactNode;
  confirm: string;
  dismiss: string;
  danger?: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <div className="cf-note" style={{ display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap' }}>
      <span style={{ flex: 1 }}>{props.children}</span>
      <button
        type="button"
        className={`cf-button ${props.danger ? 'cf-button--danger' : 'cf-button--primary'}`}
        onClick={() => {
          props.onClose();
          props.onConfirm();
        }}
      >
        {props.confirm}
      </button>
      <button type="button" className="cf-button" onClick={props.onClose}>
        {props.dismiss}
      </button>
    </div>
  );
}
