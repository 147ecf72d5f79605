import { type AnyChannelDefinition, type ConnectionSummary, parseWithSchema } from '@convoflow/engine';
import { useId, useState } from 'react';
import { Dialog } from '../app/Dialog.tsx';
import { initialObject, jsonSchemaOf } from '../forms/json-schema.ts';
import { SchemaForm } from '../forms/SchemaForm.tsx';
import { apiErrorText } from '../workflows/apiErrorText.ts';
import {
  blankFields,
  type ChannelConnection,
  keepingStored,
  literalFields,
  withoutBlankOptionals,
} from './channel-fields.ts';
import { SecretFields } from './SecretFields.tsx';

/** What the form saves: the name, the settings whole, the secrets typed in. */
export interface ChannelFormInput {
  name: string;
  settings: Record<string, unknown>;
  secrets: Record<string, string>;
}

interface ChannelFormDialogProps {
  definition: AnyChannelDefinition;
  title: string;
  testId: string;
  id: string;
  /** Absent once the id is in the URLs the platform has: then it is shown, not edited. */
  onIdChange?: (id: string) => void;
  initialName: string;
  /** The stored settings, when editing; the schema's defaults fill in the rest. */
  initialSettings?: Readonly<Record<string, unknown>>;
  /** The secrets the server holds, when editing: each may be left empty to keep it. */
  secretsSet?: readonly string[];
  onClose: () => void;
  /** Sends the connection to the server; what it throws shows in the dialog, which stays open. */
  save: (input: ChannelFormInput) => Promise<ConnectionSummary>;
  onSaved: (connection: ChannelConnection) => void;
}

/** A channel connection's fields as its definition describes them, for adding one and for editing it. */
export function ChannelFormDialog({
  definition,
  title,
  testId,
  id,
  onIdChange,
  initialName,
  initialSettings,
  secretsSet,
  onClose,
  save,
  onSaved,
}: ChannelFormDialogProps) {
  const fieldId = useId();
  const settingsForm = literalFields(definition.settings);
  const [name, setName] = useState(initialName);
  const [settings, setSettings] = useState(() => ({
    ...initialObject(jsonSchemaOf(settingsForm)),
    ...initialSettings,
  }));
  // Blank rather than missing, so a required secret left out is named in its schema's words.
  const [secrets, setSecrets] = useState(() => blankFields(definition.secrets));
  const [secretErrors, setSecretErrors] = useState<Record<string, string>>({});

  const submit = async () => {
    const secretsForm = keepingStored(definition.secrets, secretsSet ?? []);
    const input = {
      name: name.trim(),
      settings: withoutBlankOptionals(definition.settings, settings),
      secrets: withoutBlankOptionals(secretsForm, secrets),
    };
    // Checked here with the definition the server checks with, to name fields by their titles.
    const settingsCheck = parseWithSchema(definition.settings, input.settings);
    const secretsCheck = parseWithSchema(secretsForm, input.secrets);
    const issues = [settingsCheck, secretsCheck].flatMap((check) => (check.ok ? [] : check.issues));
    setSecretErrors(
      Object.fromEntries(secretsCheck.ok ? [] : secretsCheck.issues.map((issue) => [issue.field ?? '', issue.reason])),
    );
    if (issues.length > 0) throw new Error(issues.map((issue) => issue.message).join('; '));
    let saved: ConnectionSummary;
    try {
      saved = await save(input);
    } catch (caught) {
      throw new Error(apiErrorText(caught));
    }
    if (saved.type === 'channel') onSaved(saved);
  };

  return (
    <Dialog title={title} submitLabel="Save connection" testId={testId} onClose={onClose} onSubmit={submit}>
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
            readOnly={!onIdChange}
            onChange={(event) => onIdChange?.(event.target.value)}
            required
            spellCheck={false}
          />
        </div>
      </div>
      <p className="field__help">
        {onIdChange
          ? `The id is part of the URLs you paste into ${definition.label}; it cannot change later.`
          : `The id is part of the URLs you pasted into ${definition.label}; they stay the same.`}
      </p>
      <h3 className="cf-channel-form__section">Settings</h3>
      <SchemaForm schema={settingsForm} value={settings} onChange={setSettings} idPrefix={`${fieldId}-settings`} />
      <h3 className="cf-channel-form__section">Secrets</h3>
      <p className="field__help">
        Stored encrypted on the server, never shown again.{secretsSet && ' Type one only to replace it.'}
      </p>
      <SecretFields
        schema={definition.secrets}
        value={secrets}
        onChange={setSecrets}
        errors={secretErrors}
        stored={secretsSet}
        idPrefix={`${fieldId}-secrets`}
      />
    </Dialog>
  );
}
