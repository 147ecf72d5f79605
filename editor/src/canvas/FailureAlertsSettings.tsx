import type { WorkflowSettings } from '@convoflow/engine';
import './failure-alerts.css';
import type { AlertTestResult } from '@convoflow/engine';
import { useId, useState } from 'react';
import { api } from '../api/client.ts';
import { useConnections } from '../forms/useConnections.ts';
import { apiErrorText } from '../workflows/apiErrorText.ts';

type Alerts = NonNullable<WorkflowSettings['alerts']>;
type Destination = Alerts['destinations'][number];

const DEFAULT_QUIET_MINUTES = 15;
const kindLabels: Record<Destination['kind'], string> = {
  slack: 'Slack (incoming webhook)',
  webhook: 'Webhook, signed',
};

interface FailureAlertsSettingsProps {
  /** The workflow the test alert names; null for one never saved (no test alert then). */
  workflowId: string | null;
  value: Alerts | undefined;
  onChange: (next: Alerts | undefined) => void;
}

/**
 * The workflow's failure alerts: where they go and how many quiet minutes lie between two. A
 * Slack webhook URL is a credential, so it is picked from the stored secrets by name, never typed
 * into the workflow; a generic webhook's URL is typed, and its signing secret picked.
 */
export function FailureAlertsSettings({ workflowId, value, onChange }: FailureAlertsSettingsProps) {
  const ids = useId();
  const { connections: secrets, loadError } = useConnections('secret');
  const enabled = value !== undefined;
  const alerts: Alerts = value ?? { destinations: [], quietMinutes: DEFAULT_QUIET_MINUTES };
  const firstSecret = secrets?.[0]?.id ?? '';

  const setDestination = (index: number, next: Destination) =>
    onChange({ ...alerts, destinations: alerts.destinations.map((current, i) => (i === index ? next : current)) });
  const secretSelect = (id: string, selected: string, onSelect: (secretId: string) => void) => (
    <select id={id} value={selected} onChange={(event) => onSelect(event.target.value)} required>
      <option value="">{secrets === null && !loadError ? 'Loading secrets…' : 'Choose a secret…'}</option>
      {selected && !secrets?.some((secret) => secret.id === selected) && (
        <option value={selected}>{selected} (not found)</option>
      )}
      {secrets?.map((secret) => (
        <option key={secret.id} value={secret.id}>
          {secret.name}
        </option>
      ))}
    </select>
  );

  return (
    <fieldset className="field field--group failure-alerts" data-testid="failure-alerts">
      <legend>Failure alerts</legend>
      <label className="field__check" htmlFor={`${ids}-on`}>
        <input
          id={`${ids}-on`}
          type="checkbox"
          checked={enabled}
          onChange={(event) =>
            onChange(
              event.target.checked
                ? { destinations: [{ kind: 'slack', urlSecretId: firstSecret }], quietMinutes: DEFAULT_QUIET_MINUTES }
                : undefined,
            )
          }
        />
        Send an alert when a step fails
      </label>
      <p className="field__help">
        Published runs only, not test runs. The alert names the step and the reason and links the run; more failures
        within the quiet time are counted in the next alert.
      </p>
      {enabled && (
        <>
          {alerts.destinations.map((destination, index) => {
            const at = `${ids}-${index}`;
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: destinations have no id; their order is their identity
              <div className="failure-alerts__destination" key={index} data-testid={`alert-destination-${index}`}>
                <label className="field__label" htmlFor={`${at}-kind`}>
                  Send to
                </label>
                <select
                  id={`${at}-kind`}
                  value={destination.kind}
                  onChange={(event) =>
                    setDestination(
                      index,
                      event.target.value === 'webhook'
                        ? { kind: 'webhook', url: '', secretId: firstSecret }
                        : { kind: 'slack', urlSecretId: firstSecret },
                    )
                  }
                >
                  {Object.entries(kindLabels).map(([kind, label]) => (
                    <option key={kind} value={kind}>
                      {label}
                    </option>
                  ))}
                </select>
                {destination.kind === 'slack' ? (
                  <>
                    <label className="field__label" htmlFor={`${at}-secret`}>
                      Secret holding the Slack webhook URL
                    </label>
                    {secretSelect(`${at}-secret`, destination.urlSecretId, (urlSecretId) =>
                      setDestination(index, { ...destination, urlSecretId }),
                    )}
                  </>
                ) : (
                  <>
                    <label className="field__label" htmlFor={`${at}-url`}>
                      Webhook URL
                    </label>
                    <input
                      id={`${at}-url`}
                      type="url"
                      value={destination.url}
                      placeholder="https://alerts.example.com/convoflow"
                      onChange={(event) => setDestination(index, { ...destination, url: event.target.value })}
                      required
                    />
                    <label className="field__label" htmlFor={`${at}-secret`}>
                      Signing secret (X-Signature-256)
                    </label>
                    {secretSelect(`${at}-secret`, destination.secretId, (secretId) =>
                      setDestination(index, { ...destination, secretId }),
                    )}
                  </>
                )}
                <button
                  type="button"
                  className="button button--small"
                  onClick={() =>
                    onChange({ ...alerts, destinations: alerts.destinations.filter((_, i) => i !== index) })
                  }
                >
                  Remove destination
                </button>
              </div>
            );
          })}
          {alerts.destinations.length < 5 && (
            <button
              type="button"
              className="button button--small"
              onClick={() =>
                onChange({
                  ...alerts,
                  destinations: [...alerts.destinations, { kind: 'slack', urlSecretId: firstSecret }],
                })
              }
            >
              Add destination
            </button>
          )}
          {secrets?.length === 0 && (
            <p className="field__help">
              No secrets yet: store the Slack webhook URL or the signing secret as a secret first (an HTTP step's “Add
              secret”).
            </p>
          )}
          {loadError && <p className="field__error">Could not load secrets: {loadError}</p>}
          <label className="field__label" htmlFor={`${ids}-quiet`}>
            Quiet minutes between two alerts
          </label>
          <input
            id={`${ids}-quiet`}
            type="number"
            min={1}
            max={1440}
            value={alerts.quietMinutes}
            onChange={(event) => onChange({ ...alerts, quietMinutes: Number(event.target.value) })}
            required
          />
          {workflowId !== null && alerts.destinations.length > 0 && (
            <TestAlert workflowId={workflowId} alerts={alerts} />
          )}
        </>
      )}
    </fieldset>
  );
}

/** "Send test alert": each destination of the settings as they stand is tried; its answer in words. */
function TestAlert({ workflowId, alerts }: { workflowId: string; alerts: Alerts }) {
  const [sending, setSending] = useState(false);
  const [answer, setAnswer] = useState<AlertTestResult | { problem: string } | null>(null);
  const send = async () => {
    setSending(true);
    setAnswer(null);
    try {
      setAnswer(await api.alerts.test(workflowId, alerts));
    } catch (caught) {
      setAnswer({ problem: `The test alert could not be sent: ${apiErrorText(caught)}` });
    } finally {
      setSending(false);
    }
  };
  return (
    <div className="failure-alerts__test" data-testid="test-alert">
      <button type="button" className="button button--small" onClick={send} disabled={sending}>
        {sending ? 'Sending…' : 'Send test alert'}
      </button>
      {answer && 'problem' in answer && (
        <p className="cf-channel-check__answer cf-channel-check__answer--problem" role="alert">
          {answer.problem}
        </p>
      )}
      {answer &&
        'results' in answer &&
        answer.results.map((result, index) => (
          <p
            // biome-ignore lint/suspicious/noArrayIndexKey: one answer per destination, in their order
            key={index}
            role="status"
            className={`cf-channel-check__answer cf-channel-check__answer--${result.ok ? 'ok' : 'problem'}`}
          >
            {result.destination}: {result.detail}
          </p>
        ))}
    </div>
  );
}
