import type { AnyChannelDefinition, ChannelRegistry } from '@convoflow/engine';
import { useId, useState } from 'react';
import { api } from '../api/client.ts';
import { Dialog } from '../app/Dialog.tsx';
import { ChannelFormDialog } from './ChannelFormDialog.tsx';
import { type ChannelConnection, freeId } from './channel-fields.ts';

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
  const [id, setId] = useState(() => freeId(definition.kind, takenIds));
  return (
    <ChannelFormDialog
      definition={definition}
      title={`Add a ${definition.label} connection`}
      testId="add-channel-dialog"
      id={id}
      onIdChange={setId}
      initialName={definition.label}
      onClose={onClose}
      save={(input) => api.connections.create({ id: id.trim(), type: 'channel', channel: definition.kind, ...input })}
      onSaved={onCreated}
    />
  );
}
