import { useId, useState } from 'react';
import { api } from '../api/client.ts';
import { Dialog } from '../app/Dialog.tsx';
import { type ConnectionOf, useConnections } from './useConnections.ts';

type SecretSummary = ConnectionOf<'secret'>;

const reference = (id: string) => `{{secret:${id}}}`;

/**
 * The HTTP node's stored secrets: the `{{secret:<id>}}` to put in a header value for each, and
 * a dialog to store a new one. The value goes to the server once and is never shown again.
 */
export function HeaderSecrets() {
  const { connections: secrets, loadError, add } = useConnections('secret');
  const [adding, setAdding] = useState(false);

  return (
    <section className="header-secrets" aria-label="Secrets">
      <p className="field__help">
        Keep tokens out of the workflow: store one as a secret, then write its reference in a header value, e.g.{' '}
        <code>Bearer {reference('crm-token')}</code>.
      </p>
      {secrets && secrets.length > 0 && (
        <ul className="header-secrets__list" data-testid="secret-list">
          {secrets.map((secret) => (
            <li key={secret.id}>
              <code>{reference(secret.id)}</code> {secret.name}
            </li>
          ))}
        </ul>
      )}
      {loadError && <p className="field__error">Could not load secrets: {loadError}</p>}
      <button type="button" className="button button--small" onClick={() => setAdding(true)} data-testid="add-secret">
        Add secret
      </button>
      {adding && (
        <AddSecretDialog
          onClose={() => setAdding(false)}
          onCreated={(created) => {
            setAdding(false);
            add(created);
          }}
        />
      )}
    </section>
  );
}

function AddSecretDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (secret: SecretSummary) => void }) {
  const ids = useId();
  const [id, setId] = useState('crm-token');
  const [name, setName] = useState('CRM token');
  const [value, setValue] = useState('');
  return (
    <Dialog
      title="Add a secret"
      submitLabel="Save secret"
      testId="add-secret-dialog"
      onClose={onClose}
      onSubmit={async () => {
        const created = await api.connections.create({ id, type: 'secret', name, value });
        if (created.type === 'secret') onCreated(created);
      }}
    >
      <label htmlFor={`${ids}-id`}>Id</label>
      <input id={`${ids}-id`} value={id} onChange={(e) => setId(e.target.value)} required />
      <label htmlFor={`${ids}-name`}>Name</label>
      <input id={`${ids}-name`} value={name} onChange={(e) => setName(e.target.value)} required />
      <label htmlFor={`${ids}-value`}>Value</label>
      <input
        id={`${ids}-value`}
        type="password"
        autoComplete="off"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        required
      />
      <p className="field__help">Stored encrypted on the server and never shown again. Use it as {reference(id)}.</p>
    </Dialog>
  );
}
