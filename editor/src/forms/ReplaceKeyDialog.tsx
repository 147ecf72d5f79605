import type { ConnectionSummary } from '@convoflow/engine';
import { useId, useState } from 'react';
import { api } from '../api/client.ts';
import { Dialog } from '../app/Dialog.tsx';
import { parseServiceAccountKey } from './service-account-key.ts';

/**
 * A new service-account key for a Google connection, in place: the answer to a key Google
 * refuses (deleted, expired, disabled). The steps naming the connection keep working, and its
 * refusal is cleared until the next call says otherwise.
 */
export function ReplaceKeyDialog({
  connection,
  onClose,
  onReplaced,
}: {
  connection: Pick<ConnectionSummary, 'id' | 'name'>;
  onClose: () => void;
  onReplaced: () => void;
}) {
  const fieldId = useId();
  const [key, setKey] = useState('');
  return (
    <Dialog
      title={`Replace the key of “${connection.name}”`}
      submitLabel="Save new key"
      testId="replace-key-dialog"
      onClose={onClose}
      onSubmit={async () => {
        await api.connections.update(connection.id, { serviceAccountKey: parseServiceAccountKey(key) });
        onReplaced();
      }}
    >
      <label htmlFor={`${fieldId}-key`}>New service-account key (JSON)</label>
      <textarea
        id={`${fieldId}-key`}
        rows={6}
        value={key}
        placeholder='{"type": "service_account", "client_email": "…", "private_key": "-----BEGIN PRIVATE KEY-----…"}'
        onChange={(event) => setKey(event.target.value)}
        required
      />
      <p className="field__help">
        Steps using this connection keep it; the old key is forgotten. Stored encrypted and never shown again.
      </p>
    </Dialog>
  );
}
