import type { SimulationRequest } from '@convoflow/engine';
import type { FormEvent } from 'react';
import '../shared/ui.css';

/** What the operator picks before a test run. */
export interface TestSetup {
  trigger: 'conversation.closed' | 'shortcut';
  contactName: string;
  channel: string;
  agentName: string;
}

export const defaultTestSetup: TestSetup = {
  trigger: 'conversation.closed',
  contactName: 'Test Contact',
  channel: 'whatsapp',
  agentName: 'Alex Agent',
};

const channels = ['whatsapp', 'messenger', 'instagram', 'webchat', 'email', 'sms'];

/** The simulate request for a setup; every run gets a fresh conversation id. */
export function toSimulationRequest(setup: TestSetup, conversationId: string): SimulationRequest {
  const contactName = setup.contactName.trim() || defaultTestSetup.contactName;
  const agentName = setup.agentName.trim();
  return {
    trigger: setup.trigger,
    contact: { id: `test-${slug(contactName)}`, name: contactName },
    conversation: { id: conversationId, channel: setup.channel.trim() || undefined },
    assignee: agentName ? { id: `test-${slug(agentName)}`, name: agentName } : undefined,
  };
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'contact'
  );
}

export interface SimulatorSetupProps {
  setup: TestSetup;
  onChange: (setup: TestSetup) => void;
  onStart: () => void;
  /** A start request is on its way. */
  starting?: boolean;
}

/** The test contact form and the Start button. */
export function SimulatorSetup({ setup, onChange, onStart, starting = false }: SimulatorSetupProps) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onStart();
  };
  const field = <K extends keyof TestSetup>(name: K, value: TestSetup[K]) => onChange({ ...setup, [name]: value });

  return (
    <form onSubmit={submit} style={{ display: 'flex', flexDirection: 'column', gap: 14 }} aria-label="Test run">
      <p className="cf-note" data-testid="sim-draft-note">
        Runs the last saved version of your draft. Save first to test your latest changes. Test runs send nothing to the
        chat platform and do not count in the dashboard.
      </p>
      <fieldset style={{ border: 0, padding: 0, margin: 0, display: 'flex', flexDirection: 'column', gap: 6 }}>
        <legend className="cf-field__label" style={{ marginBottom: 6 }}>
          Trigger
        </legend>
        <label>
          <input
            type="radio"
            name="sim-trigger"
            checked={setup.trigger === 'conversation.closed'}
            onChange={() => field('trigger', 'conversation.closed')}
          />{' '}
          Conversation closed
        </label>
        <label>
          <input
            type="radio"
            name="sim-trigger"
            checked={setup.trigger === 'shortcut'}
            onChange={() => field('trigger', 'shortcut')}
          />{' '}
          Agent shortcut
        </label>
      </fieldset>
      <label className="cf-field">
        <span className="cf-field__label">Contact name</span>
        <input
          className="cf-input"
          value={setup.contactName}
          onChange={(event) => field('contactName', event.target.value)}
          maxLength={200}
        />
      </label>
      <label className="cf-field">
        <span className="cf-field__label">Channel</span>
        <input
          className="cf-input"
          list="sim-channels"
          value={setup.channel}
          onChange={(event) => field('channel', event.target.value)}
          maxLength={100}
        />
        <datalist id="sim-channels">
          {channels.map((channel) => (
            <option key={channel} value={channel} />
          ))}
        </datalist>
      </label>
      <label className="cf-field">
        <span className="cf-field__label">
          {setup.trigger === 'shortcut' ? 'Agent who clicks the shortcut' : 'Agent'}
        </span>
        <input
          className="cf-input"
          value={setup.agentName}
          onChange={(event) => field('agentName', event.target.value)}
          maxLength={200}
        />
      </label>
      <div>
        <button type="submit" className="cf-button cf-button--primary" disabled={starting} data-testid="sim-start">
          {starting ? 'Starting…' : 'Start'}
        </button>
      </div>
    </form>
  );
}
