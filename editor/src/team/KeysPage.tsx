import type { ApiKeyCreated, ApiKeySummary, Role } from '@convoflow/engine';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import { Dialog } from '../app/Dialog.tsx';
import { roleNames } from '../app/useMe.ts';
import { RelativeTime } from '../shared/RelativeTime.tsx';
import { apiErrorText } from '../workflows/apiErrorText.ts';
import { CreatedKeyDialog } from './CreatedKeyDialog.tsx';
import { RoleChoice } from './RoleChoice.tsx';
import { TeamTopbar } from './TeamTopbar.tsx';
import './team.css';

type Pending =
  | { kind: 'new' }
  | { kind: 'created'; key: ApiKeyCreated }
  | { kind: 'revoke'; key: ApiKeySummary }
  | null;

/** The owner's named API keys: list them, make one (shown once), revoke one. */
export default function KeysPage() {
  const [keys, setKeys] = useState<ApiKeySummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending>(null);

  const refresh = useCallback(() => {
    api.keys
      .list()
      .then((list) => {
        setKeys([...list].sort((a, b) => b.createdAt - a.createdAt));
        setError(null);
      })
      .catch((caught: unknown) => setError(`Could not load the API keys: ${apiErrorText(caught)}`));
  }, []);
  useEffect(refresh, [refresh]);

  return (
    <div className="page">
      <TeamTopbar title="API keys" current="keys">
        <button
          type="button"
          className="button button--primary"
          onClick={() => setPending({ kind: 'new' })}
          data-testid="new-key"
        >
          New key
        </button>
      </TeamTopbar>
      <main className="page__body">
        <p className="muted team-intro">
          A named key for each integration or person, with the role it needs; revoke one without touching the others.
          The key <code>npm start</code> printed stays an owner key.
        </p>
        {error && (
          <div className="notice notice--error" role="alert" data-testid="keys-error">
            <pre>{error}</pre>
          </div>
        )}
        {keys === null && !error && <p className="muted">Loading the API keys…</p>}
        {keys?.length === 0 && (
          <div className="empty">
            <p>No named keys yet.</p>
            <p className="muted">Make one for each integration (n8n, the Chatwoot macro) or colleague.</p>
          </div>
        )}
        {keys && keys.length > 0 && (
          <table className="table" data-testid="key-list">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Key</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Status</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => (
                <tr key={key.id} data-testid={`key-row-${key.id}`}>
                  <td>{key.name}</td>
                  <td>{roleNames[key.role]}</td>
                  <td>
                    <code className="team-key">{key.prefix}…</code>
                  </td>
                  <td>
                    <RelativeTime at={key.createdAt} /> by {key.createdBy}
                  </td>
                  <td>{key.lastUsedAt === null ? 'never' : <RelativeTime at={key.lastUsedAt} />}</td>
                  <td className="table__actions">
                    {key.revokedAt === null ? (
                      <button
                        type="button"
                        className="button button--ghost button--danger-text"
                        aria-label={`Revoke ${key.name}`}
                        onClick={() => setPending({ kind: 'revoke', key })}
                      >
                        Revoke
                      </button>
                    ) : (
                      <span className="team-revoked">
                        Revoked <RelativeTime at={key.revokedAt} />
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </main>
      {pending?.kind === 'new' && (
        <NewKeyDialog
          onClose={() => setPending(null)}
          onCreated={(key) => {
            setPending({ kind: 'created', key });
            refresh();
          }}
        />
      )}
      {pending?.kind === 'created' && <CreatedKeyDialog created={pending.key} onClose={() => setPending(null)} />}
      {pending?.kind === 'revoke' && (
        <Dialog
          title={`Revoke “${pending.key.name}”?`}
          submitLabel="Revoke"
          danger
          testId="confirm-revoke"
          onClose={() => setPending(null)}
          onSubmit={async () => {
            await api.keys.revoke(pending.key.id);
            setPending(null);
            refresh();
          }}
        >
          <p>
            Calls made with this {roleNames[pending.key.role].toLowerCase()} key (<code>{pending.key.prefix}…</code>)
            are refused from now on. This cannot be undone: make a new key to replace it.
          </p>
        </Dialog>
      )}
    </div>
  );
}

function NewKeyDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (key: ApiKeyCreated) => void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('editor');
  return (
    <Dialog
      title="New API key"
      submitLabel="Create key"
      testId="new-key-dialog"
      onClose={onClose}
      onSubmit={async () => {
        try {
          onCreated(await api.keys.create({ name, role }));
        } catch (caught) {
          throw new Error(`The key was not created: ${apiErrorText(caught)}`);
        }
      }}
    >
      <div className="field">
        <label className="field__label" htmlFor="new-key-name">
          Name
        </label>
        <input
          id="new-key-name"
          required
          maxLength={100}
          value={name}
          placeholder="e.g. Chatwoot macro, n8n, Grace"
          onChange={(event) => setName(event.target.value)}
          data-testid="new-key-name"
        />
        <p className="field__help">What the key is for: the audit log names it.</p>
      </div>
      <RoleChoice name="new-key-role" role={role} onChange={setRole} />
    </Dialog>
  );
}
