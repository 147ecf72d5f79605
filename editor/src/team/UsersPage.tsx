import { type AccountLink, type Role, roles, type UserSummary } from '@convoflow/engine';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import { Dialog } from '../app/Dialog.tsx';
import { roleNames, useMe } from '../app/useMe.ts';
import { RelativeTime } from '../shared/RelativeTime.tsx';
import { apiErrorText } from '../workflows/apiErrorText.ts';
import { RoleChoice } from './RoleChoice.tsx';
import { TeamTopbar } from './TeamTopbar.tsx';
import { UsersLinkDialog } from './UsersLinkDialog.tsx';
import './team.css';

type Pending =
  | { kind: 'invite' }
  | { kind: 'link'; title: string; link: AccountLink; forName: string }
  | { kind: 'active'; user: UserSummary; active: boolean }
  | null;

/**
 * The owner's users page: who has an account, with what role; invite by a link to hand over
 * (no e-mail server needed), change a role, deactivate or reactivate, hand out a password reset
 * link. The server refuses leaving the install without an active owner; its words show here.
 */
export default function UsersPage() {
  const [users, setUsers] = useState<UserSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // What the server refused (a role change, a link), kept while the list reloads.
  const [refusal, setRefusal] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const myId = useMe()?.id;

  const refresh = useCallback(() => {
    api.users
      .list()
      .then((list) => {
        setUsers([...list].sort((a, b) => a.name.localeCompare(b.name)));
        setError(null);
      })
      .catch((caught: unknown) => setError(`Could not load the users: ${apiErrorText(caught)}`));
  }, []);
  useEffect(refresh, [refresh]);

  const changeRole = async (user: UserSummary, role: Role) => {
    try {
      await api.users.change(user.id, { role });
      setRefusal(null);
    } catch (caught) {
      setRefusal(`${user.name} is still ${roleNames[user.role].toLowerCase()}: ${apiErrorText(caught)}`);
    }
    refresh();
  };

  // A pending invitation gets a new invitation link (the server makes one), others a reset link;
  // either replaces the last link handed to that person.
  const newLink = async (user: UserSummary) => {
    const what = user.pending ? 'invitation' : 'password reset link';
    try {
      const link = await api.users.resetLink(user.id);
      const title = user.pending ? `New invitation for ${user.name}` : `Password reset link for ${user.name}`;
      setPending({ kind: 'link', title, link, forName: user.name });
    } catch (caught) {
      setRefusal(`No new ${what} was made for ${user.name}: ${apiErrorText(caught)}`);
    }
  };

  return (
    <div className="page">
      <TeamTopbar title="Users" current="users">
        <button
          type="button"
          className="button button--primary"
          onClick={() => setPending({ kind: 'invite' })}
          data-testid="invite-user"
        >
          Invite
        </button>
      </TeamTopbar>
      <main className="page__body">
        <p className="muted team-intro">
          Everyone signs in with their own e-mail and password; the audit log names them. Invite people by a link you
          hand over yourself, give each the role they need, and deactivate an account when someone leaves.
        </p>
        {(refusal ?? error) && (
          <div className="notice notice--error" role="alert" data-testid="users-error">
            <pre>{refusal ?? error}</pre>
          </div>
        )}
        {users === null && !error && <p className="muted">Loading the users…</p>}
        {users && (
          <table className="table" data-testid="user-list">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">E-mail</th>
                <th scope="col">Role</th>
                <th scope="col">Last sign-in</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr key={user.id} data-testid={`user-row-${user.id}`}>
                  <td>
                    {user.name}
                    {user.id === myId && <span className="muted"> (you)</span>}
                  </td>
                  <td>{user.email}</td>
                  <td>
                    {user.deactivatedAt === null ? (
                      <select
                        aria-label={`Role of ${user.name}`}
                        value={user.role}
                        onChange={(event) => void changeRole(user, event.target.value as Role)}
                        data-testid={`user-role-${user.id}`}
                      >
                        {roles.map((each) => (
                          <option key={each} value={each}>
                            {roleNames[each]}
                          </option>
                        ))}
                      </select>
                    ) : (
                      roleNames[user.role]
                    )}
                  </td>
                  <td>{user.lastSignInAt === null ? 'never' : <RelativeTime at={user.lastSignInAt} />}</td>
                  <td data-testid={`user-status-${user.id}`}>
                    {user.deactivatedAt !== null ? (
                      <span className="team-revoked">
                        Deactivated <RelativeTime at={user.deactivatedAt} />
                      </span>
                    ) : user.pending ? (
                      'Invited, no password yet'
                    ) : (
                      'Active'
                    )}
                  </td>
                  <td className="table__actions">
                    {user.deactivatedAt === null && (
                      <button
                        type="button"
                        className="button button--ghost"
                        aria-label={`${user.pending ? 'New invitation link' : 'Reset password link'} for ${user.name}`}
                        onClick={() => void newLink(user)}
                      >
                        {user.pending ? 'New invitation link' : 'Reset password link'}
                      </button>
                    )}
                    <button
                      type="button"
                      className={`button button--ghost${user.deactivatedAt === null ? ' button--danger-text' : ''}`}
                      aria-label={`${user.deactivatedAt === null ? 'Deactivate' : 'Reactivate'} ${user.name}`}
                      onClick={() => setPending({ kind: 'active', user, active: user.deactivatedAt !== null })}
                    >
                      {user.deactivatedAt === null ? 'Deactivate' : 'Reactivate'}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </main>
      {pending?.kind === 'invite' && (
        <InviteDialog
          onClose={() => setPending(null)}
          onInvited={(user, link) => {
            setPending({ kind: 'link', title: `Invitation for ${user.name}`, link, forName: user.name });
            refresh();
          }}
        />
      )}
      {pending?.kind === 'link' && (
        <UsersLinkDialog
          title={pending.title}
          link={pending.link}
          forName={pending.forName}
          onClose={() => setPending(null)}
        />
      )}
      {pending?.kind === 'active' && (
        <Dialog
          title={`${pending.active ? 'Reactivate' : 'Deactivate'} ${pending.user.name}?`}
          submitLabel={pending.active ? 'Reactivate' : 'Deactivate'}
          danger={!pending.active}
          testId="confirm-user-active"
          onClose={() => setPending(null)}
          onSubmit={async () => {
            try {
              await api.users.change(pending.user.id, { active: pending.active });
            } catch (caught) {
              throw new Error(
                `${pending.user.name} was not ${pending.active ? 'reactivated' : 'deactivated'}: ${apiErrorText(caught)}`,
              );
            }
            setPending(null);
            refresh();
          }}
        >
          <p>
            {pending.active
              ? `${pending.user.name} can sign in again with their password, as ${roleNames[pending.user.role].toLowerCase()}.`
              : `${pending.user.name} (${pending.user.email}) can no longer sign in, and their open sessions end now. What they did stays in the audit log; you can reactivate the account later.`}
          </p>
        </Dialog>
      )}
    </div>
  );
}

function InviteDialog({
  onClose,
  onInvited,
}: {
  onClose: () => void;
  onInvited: (user: UserSummary, link: AccountLink) => void;
}) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('editor');
  return (
    <Dialog
      title="Invite someone"
      submitLabel="Make the invitation link"
      testId="invite-dialog"
      onClose={onClose}
      onSubmit={async () => {
        try {
          const { user, link } = await api.users.invite({ name: name.trim(), email: email.trim(), role });
          onInvited(user, link);
        } catch (caught) {
          throw new Error(`Nobody was invited: ${apiErrorText(caught)}`);
        }
      }}
    >
      <p className="muted">No e-mail is sent: you get a link to hand over, which works once within 24 hours.</p>
      <div className="field">
        <label className="field__label" htmlFor="invite-name">
          Name
        </label>
        <input
          id="invite-name"
          required
          maxLength={100}
          value={name}
          onChange={(event) => setName(event.target.value)}
          data-testid="invite-name"
        />
      </div>
      <div className="field">
        <label className="field__label" htmlFor="invite-email">
          E-mail
        </label>
        <input
          id="invite-email"
          type="email"
          required
          maxLength={254}
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          data-testid="invite-email"
        />
        <p className="field__help">What they sign in with.</p>
      </div>
      <RoleChoice name="invite-role" role={role} onChange={setRole} />
    </Dialog>
  );
}
