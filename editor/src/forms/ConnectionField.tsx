import type { ConnectionSummary } from '@convoflow/engine';
import { useId, useState } from 'react';
import { api } from '../api/client.ts';
import { Dialog } from '../app/Dialog.tsx';
import { ConnectionCheck } from '../channels/ConnectionCheck.tsx';
import { RefusedNotice } from './RefusedNotice.tsx';
import { ReplaceKeyDialog } from './ReplaceKeyDialog.tsx';
import { parseServiceAccountKey } from './service-account-key.ts';
import { useConnections } from './useConnections.ts';
import './connection-field.css';

interface ConnectionFieldProps {
  id: string;
  value: unknown;
  onChange: (value: unknown) => void;
}

/** Picks a stored Google connection (`GET /api/connections`), or adds one in a dialog. */
export function ConnectionField({ id, value, onChange }: ConnectionFieldProps) {
  const { connections, loadError, add, reload } = useConnections('google');
  const [adding, setAdding] = useState(false);
  const [replacing, setReplacing] = useState(false);
  // The check's own answer says what a refusal would repeat: the notice steps aside for it.
  const [checkedProblem, setCheckedProblem] = useState<string | null>(null);
  const current = typeof value === 'string' ? value : '';

  const known = connections?.some((connection) => connection.id === current) ?? false;
  const chosen = connections?.find((connection) => connection.id === current);
  return (
    <div className="connection-field">
      <div className="connection-field__row">
        <select id={id} value={current} onChange={(event) => onChange(event.target.value)}>
          <option value="">
            {connections === null && !loadError ? 'Loading connections…' : 'Choose a connection…'}
          </option>
          {current && !known && <option value={current}>{current} (not found)</option>}
          {connections?.map((connection) => (
            <option key={connection.id} value={connection.id}>
              {connection.name} ({connection.id}){connection.refusedAt === undefined ? '' : ' — refused by Google'}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button button--small"
          onClick={() => setAdding(true)}
          data-testid="add-connection"
        >
          Add connection
        </button>
      </div>
      {chosen && (
        <>
          <p className="field__help">
            Share the spreadsheet with <code>{chosen.clientEmail}</code>.
          </p>
          {chosen.refusedReason !== checkedProblem && <RefusedNotice connection={chosen} />}
          <div className="connection-field__actions">
            <ConnectionCheck
              key={chosen.id}
              connectionId={chosen.id}
              onChecked={(answer) => {
                setCheckedProblem(answer.ok ? null : answer.problem);
                reload();
              }}
            />
            <button type="button" className="button" onClick={() => setReplacing(true)} data-testid="replace-key">
              Replace key
            </button>
          </div>
        </>
      )}
      {loadError && <p className="field__error">Could not load connections: {loadError}</p>}
      {replacing && chosen && (
        <ReplaceKeyDialog
          connection={chosen}
          onClose={() => setReplacing(false)}
          onReplaced={() => {
            setReplacing(false);
            setCheckedProblem(null);
            reload();
          }}
        />
      )}
      {adding && (
        <AddConnectionDialog
          onClose={() => setAdding(false)}
          onCreated={(connection) => {
            setAdding(false);
            if (connection.type !== 'google') return;
            add(connection);
            onChange(connection.id);
          }}
        />
      )}
    </div>
  );
}

function AddConnectionDialog({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (connection: ConnectionSummary) => void;
}) {
  const fieldId = useId();
  const [id, setId] = useState('google');
  const [name, setName] = useState('Google Sheets');
  const [key, setKey] = useState('');
  const [endpoint, setEndpoint] = useState('');

  const submit = async () => {
    const created = await api.connections.create({
      id,
      type: 'google',
      name,
      serviceAccountKey: parseServiceAccountKey(key),
      ...(endpoint.trim() ? { apiEndpoint: endpoint.trim() } : {}),
    });
    onCreated(created);
  };

  return (
    <Dialog title="Add a Google connection" onClose={onClose} onSubmit={submit} submitLabel="Save connection">
      <label htmlFor={`${fieldId}-id`}>Id</label>
      <input id={`${fieldId}-id`} value={id} onChange={(e) => setId(e.target.value)} required />
      <label htmlFor={`${fieldId}-name`}>Name</label>
      <input id={`${fieldId}-name`} value={name} onChange={(e) => setName(e.target.value)} required />
      <label htmlFor={`${fieldId}-key`}>Service-account key (JSON)</label>
      <textarea
        id={`${fieldId}-key`}
        rows={6}
        value={key}
        placeholder='{"type": "service_account", "client_email": "…", "private_key": "-----BEGIN PRIVATE KEY-----…"}'
        onChange={(e) => setKey(e.target.value)}
        required
      />
      <p className="field__help">Stored encrypted on the server and never shown again.</p>
      <label htmlFor={`${fieldId}-endpoint`}>API endpoint (optional)</label>
      <input
        id={`${fieldId}-endpoint`}
        value={endpoint}
        placeholder="https://sheets.googleapis.com"
        onChange={(e) => setEndpoint(e.target.value)}
      />
    </Dialog>
  );
}
