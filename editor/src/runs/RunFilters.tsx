import { runOutcomes, runStatuses } from '@convoflow/engine';
import { runOutcomeLabels, runStatusLabels } from '../shared/StatusBadge.tsx';
import type { OutcomeFilter, RunFilterValues } from './filterHash.ts';
import '../shared/ui.css';

const outcomeChoices: Array<[OutcomeFilter, string]> = [
  ['any_failure', 'Any failure'],
  ...runOutcomes.map((outcome): [OutcomeFilter, string] => [outcome, runOutcomeLabels[outcome]]),
];

export interface RunFiltersProps {
  values: RunFilterValues;
  onChange: (values: RunFilterValues) => void;
  /** The workflow's steps (id and label) to filter by the one that left by a failure exit; none: no step filter. */
  steps: ReadonlyArray<{ id: string; label: string }>;
}

/** The runs list's filters: outcome, status, failed step, creation dates and conversation. */
export function RunFilters({ values, onChange, steps }: RunFiltersProps) {
  const set = (patch: Partial<RunFilterValues>) => onChange({ ...values, ...patch });
  return (
    <>
      <Choice
        label="Outcome"
        value={values.outcome}
        choices={[['', 'All outcomes'], ...outcomeChoices]}
        onChange={(value) => set({ outcome: outcomeChoices.find(([outcome]) => outcome === value)?.[0] ?? '' })}
        testId="runs-filter-outcome"
      />
      <Choice
        label="Status"
        value={values.status}
        choices={[
          ['', 'All statuses'],
          ...runStatuses.map((status): [string, string] => [status, runStatusLabels[status]]),
        ]}
        onChange={(value) => set({ status: runStatuses.find((status) => status === value) ?? '' })}
        testId="runs-filter-status"
      />
      {steps.length > 0 && (
        <Choice
          label="Failed at step"
          value={values.nodeId}
          choices={[['', 'Any step'], ...steps.map((step): [string, string] => [step.id, step.label])]}
          onChange={(nodeId) => set({ nodeId })}
          testId="runs-filter-step"
        />
      )}
      {(['from', 'to'] as const).map((end) => (
        <label key={end} className="cf-field">
          <span className="cf-field__label">{end === 'from' ? 'Started from' : 'Started until'}</span>
          <input
            className="cf-input"
            type="date"
            value={values[end]}
            {...(end === 'from' ? { max: values.to || undefined } : { min: values.from || undefined })}
            onChange={(event) => set({ [end]: event.target.value })}
            data-testid={`runs-filter-${end}`}
          />
        </label>
      ))}
      <label className="cf-field">
        <span className="cf-field__label">Conversation id</span>
        <input
          className="cf-input"
          type="search"
          value={values.conversation}
          onChange={(event) => set({ conversation: event.target.value })}
          placeholder="e.g. conv-123"
          data-testid="runs-filter-conversation"
        />
      </label>
    </>
  );
}

/** A labelled select of `[value, label]` choices. */
function Choice(props: {
  label: string;
  value: string;
  choices: ReadonlyArray<readonly [string, string]>;
  onChange: (value: string) => void;
  testId: string;
}) {
  return (
    <label className="cf-field">
      <span className="cf-field__label">{props.label}</span>
      <select
        className="cf-input"
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
        data-testid={props.testId}
      >
        {props.choices.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The filters as the API's query: a date covers its whole local day. */
export function runQueryOf(values: RunFilterValues, conversationId: string) {
  return {
    outcome: values.outcome || undefined,
    status: values.status || undefined,
    nodeId: values.nodeId || undefined,
    from: values.from ? new Date(`${values.from}T00:00:00`).toISOString() : undefined,
    to: values.to ? new Date(`${values.to}T23:59:59.999`).toISOString() : undefined,
    conversationId: conversationId || undefined,
  };
}
