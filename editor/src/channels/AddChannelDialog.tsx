import { type AnyChannelDefinition, type ChannelRegistry, parseWithSchema } from '@convoflow/engine';
import { useId, useState } from 'react';
import { api } from '../api/client.ts';
import { Dialog } from '../app/Dialog.tsx';
import { initialObject, jsonSchemaOf } from '../forms/json-schema.ts';
import { SchemaForm } from '../forms/SchemaForm.tsx';
import { apiErrorText } from '../workflows/apiErrorText.ts';
import { blankFields, type ChannelConnection, freeId, literalFields, withoutBlankOptionals } from './channel-fields.ts';
import { SecretFields } from './SecretFields.tsx';

interface AddChannelDialogProps {
  definitions: ChannelRegistry;
  /** Ids of the channel connections, so the suggested id is free among them (the server refuses any taken id). */
  takenIds: readonly string[];
  onClose: () => void;
  onCreated: (connection: ChannelConnection) => void;
}

/** "Add channel": pick the platform, then fill in what its definition says a connection holds. */
export function AddChannelDialog({ definitions, takenIds, onClose, onCreated }: AddChannelDialogProps) {
  const [picked, setPicked] = useState<AnyChannelDefinition | null>(null);
  if (!picked) return <ChannelPicker definitions={definitions} onClose={onClose} onPick={setPicked} />;
  return <ChannelForm definition={picked} takenIds={takenIds} onClose={onClose} onCreated={onCreated} />;
}

function ChannelPicker({
  definitions,
  onClose,
  onPick,
}: {
  definitions: ChannelRegistry;
  onClose: () => void;
  onPick: (definition: AnyChannelDefinition) => void;
}) {
  const name = useId();
  const choices = Object.values(definitions);
  const [kind, setKind] = useState(choices[0]?.kind ?? '');
  return (
    <Dialog
      title="Add a channel"
      submitLabel="Continue"
      testId="pick-channel-dialog"
      onClose={onClose}
      onSubmit={() => {
        const chosen = choices.find((definition) => definition.kind === kind);
        if (!chosen) throw new Error('Choose the platform to connect.');
        onPick(chosen);
      }}
    >
      <fieldset className="cf-channel-choices">
        <legend className="field__label">Which platform does your team chat on?</legend>
        {choices.map((definition) => (
          <label key={definition.kind} className="cf-channel-choice">
            <input
              type="radio"
              name={name}
              value={definition.kind}
              checked={kind === definition.kind}
              onChange={() => setKind(definition.kind)}
            />
            <span className="cf-channel-icon" aria-hidden="true">
              {definition.icon}
            </span>
            <span className="cf-channel-choice__text">
              <strong>{definition.label}</strong>
              <span className="muted">{definition.description}</span>
            </span>
          </label>
        ))}
      </fieldset>
    </Dialog>
  );
}

function ChannelForm({
  definition,
  takenIds,
  onClose,
  onCreated,
}: {
  definition: AnyChannelDefinition;
  takenIds: readonly string[];
  onClose: () => void;
  onCreated: (connection: ChannelConnection) => void;
}) {
  const fieldId = useId();
  const settingsForm = literalFields(definition.settings);
  const [id, setId] = useState(() => freeId(definition.kind, takenIds));
  const [name, setName] = useState(definition.label);
  const [settings, setSettings] = useState(() => initialObject(jsonSchemaOf(settingsForm)));
  // Blank rather than missing, so a required secret left out is named in its schema's words.
  const [secrets, setSecrets] = useState(() => blankFields(definition.secrets));
  const [secretErrors, setSecretErrors] = useState<Record<string, string>>({});

  const submit = async () => {
    const input = {
      settings: withoutBlankOptionals(definition.settings, settings),
      secrets: withoutBlankOptionals(definition.secrets, secrets),
    };
    // Checked here with the definition the server checks with, to name fields by their titles.
    const settingsCheck = parseWithSchema(definition.settings, input.settings);
    const secretsCheck = parseWithSchema(definition.secrets, input.secrets);
    const issues = [settingsCheck, secretsCheck].flatMap((check) => (check.ok ? [] : check.issues));
    setSecretErrors(
      Object.fromEntries(secretsCheck.ok ? [] : secretsCheck.issues.map((issue) => [issue.field ?? '', issue.reason])),
    );
    if (issues.length > 0) throw new Error(issues.map((issue) => issue.message).join('; '));
    let created: Awaited<ReturnType<typeof api.connections.create>>;
    try {
      created = await api.connections.create({
        id: id.trim(),
        type: 'channel',
        name: name.trim(),
        channel: definition.kind,
        ...input,
      });
    } catch (caught) {
      throw new Error(apiErrorText(caught));
    }
    if (created.type === 'channel') onCreated(created);
  };

  return (
    <Dialog
      title={`Add a ${definition.label} connection`}
      submitLabel="Save connection"
      testId="add-channel-dialog"
      onClose={onClose}
      onSubmit={submit}
    >
      <div className="cf-channel-form__names">
        <div className="field">
          <label className="field__label" htmlFor={`${fieldId}-name`}>
            Name
          </label>
          <input id={`${fieldId}-name`} value={name} onChange={(event) => setName(event.target.value)} required />
        </div>
        <div className="field">
          <label className="field__label" htmlFor={`${fieldId}-id`}>
            Id
          </label>
          <input
            id={`${fieldId}-id`}
            value={id}
            onChange={(event) => setId(event.target.value)}
            required
            spellCheck={false}
          />
        </div>
      </div>
      <p className="field__help">
        The id is part of the URLs you paste into {definition.label}; it cannot change later.
      </p>
      <h3 className="cf-channel-form__section">Settings</h3>
      <SchemaForm schema={settingsForm} value={settings} onChange={setSettings} idPrefix={`${fieldId}-settings`} />
      <h3 className="cf-channel-form__section">Secrets</h3>
      <p className="field__help">Stored encrypted on the server, never shown again.</p>
      <SecretFields
        schema={definition.secrets}
        value={secrets}
        onChange={setSecrets}
        errors={secretErrors}
        idPrefix={`${fieldId}-secrets`}
      />
    </Dialog>
  );
}
