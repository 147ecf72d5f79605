import type { AnyChannelDefinition } from '@convoflow/engine';
import { api } from '../api/client.ts';
import { ChannelFormDialog, type ChannelFormInput } from './ChannelFormDialog.tsx';
import { type ChannelConnection, fieldTitle } from './channel-fields.ts';

interface EditChannelDialogProps {
  connection: ChannelConnection;
  definition: AnyChannelDefinition;
  onClose: () => void;
  onSaved: (connection: ChannelConnection) => void;
}

/**
 * "Edit": the name, settings and secrets of a channel connection, changed in place so the URLs
 * the platform already has keep working. Only the secrets typed in are sent; the others stay.
 */
export function EditChannelDialog({ connection, definition, onClose, onSaved }: EditChannelDialogProps) {
  const save = async ({ name, settings, secrets }: ChannelFormInput) => {
    // The server merges the settings sent over the stored ones, so one left out would stay as it was.
    const emptied = Object.keys(connection.settings).filter((key) => settings[key] === undefined);
    if (emptied.length > 0) {
      throw new Error(
        emptied
          .map(
            (key) => `${fieldTitle(definition.settings, key)}: once saved it cannot be emptied; type the value to use`,
          )
          .join('; '),
      );
    }
    return api.connections.update(connection.id, {
      name,
      settings,
      ...(Object.keys(secrets).length > 0 ? { secrets } : {}),
    });
  };
  return (
    <ChannelFormDialog
      definition={definition}
      title={`Edit the ${definition.label} connection`}
      testId="edit-channel-dialog"
      id={connection.id}
      initialName={connection.name}
      initialSettings={connection.settings}
      secretsSet={connection.secretsSet}
      onClose={onClose}
      save={save}
      onSaved={onSaved}
    />
  );
}
