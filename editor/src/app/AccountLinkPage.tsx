import type { AccountLinkInfo } from '@convoflow/engine';
import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, api, apiKey, personSession } from '../api/client.ts';
import { linkErrorText, passwordProblem, passwordRule } from './accountWords.ts';
import { type AccountLinkKind, hrefOf } from './route.ts';
import { me } from './useMe.ts';
import './account.css';

const titles: Record<AccountLinkKind, string> = {
  welcome: 'Create the owner account',
  invite: 'Set your password',
  reset: 'Choose a new password',
};

const intros: Record<AccountLinkKind, string> = {
  welcome: 'This install has no accounts yet: the first one is its owner, who invites the others.',
  invite: 'You were invited to this install. Choose a password to sign in with from now on.',
  reset: 'Your old password stops working once you set this one, and other sessions are signed out.',
};

/**
 * A one-time link's page, opened before signing in: the owner's first start (name, e-mail,
 * password), an invitation (password; the name is prefilled) or a reset (new password). Setting
 * the password signs the person in.
 */
export function AccountLinkPage({
  kind,
  token,
  onSignedIn,
}: {
  kind: AccountLinkKind;
  token: string;
  onSignedIn: () => void;
}) {
  // What the server says the link is for; the address's kind until it answers (or if it cannot).
  const [info, setInfo] = useState<AccountLinkInfo | null>(null);
  const [dead, setDead] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.account
      .link(token)
      .then((answer) => {
        setInfo(answer);
        setName(answer.name ?? '');
        setEmail(answer.email ?? '');
      })
      .catch((caught: unknown) => {
        if (caught instanceof ApiError && caught.status === 400) setDead(linkErrorText(caught));
      });
  }, [token]);

  const asks = info ? ({ 'first-start': 'welcome', invite: 'invite', reset: 'reset' } as const)[info.kind] : kind;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problem = passwordProblem(password, again);
    if (problem) {
      setError(problem);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.account.setPassword({
        token,
        password,
        ...(asks === 'reset' ? {} : { name: name.trim() }),
        ...(asks === 'welcome' ? { email: email.trim() } : {}),
      });
      // The answer set the session cookie: any key this tab held gives way to the person.
      apiKey.clear();
      personSession.set(true);
      me.set(await api.me());
      window.location.hash = hrefOf({ page: 'list' });
      onSignedIn();
    } catch (caught) {
      setError(linkErrorText(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <div className="sign-in__card" data-testid={`link-page-${asks}`}>
        <div className="brand brand--large">
          <span className="brand__mark" aria-hidden="true">
            ◆
          </span>
          Convoflow
        </div>
        <h1 id="link-title">{titles[asks]}</h1>
        {dead ? (
          <>
            <p className="notice notice--error" role="alert" data-testid="link-dead">
              {dead}
            </p>
            <a href={hrefOf({ page: 'list' })}>Go to sign-in</a>
          </>
        ) : (
          <form className="sign-in__form" onSubmit={submit} aria-labelledby="link-title">
            <p className="muted">{intros[asks]}</p>
            {asks !== 'reset' && (
              <>
                <label htmlFor="link-name">Your name</label>
                <input
                  id="link-name"
                  autoComplete="name"
                  maxLength={100}
                  required
                  value={name}
                  onChange={(event) => setName(event.target.value)}
                  data-testid="link-name"
                />
              </>
            )}
            {asks === 'welcome' ? (
              <>
                <label htmlFor="link-email">E-mail</label>
                <input
                  id="link-email"
                  type="email"
                  autoComplete="username"
                  required
                  value={email}
                  onChange={(event) => setEmail(event.target.value)}
                  data-testid="link-email"
                />
              </>
            ) : (
              email && (
                <p data-testid="link-account">
                  Account: <strong>{email}</strong>
                </p>
              )
            )}
            <label htmlFor="link-password">{asks === 'reset' ? 'New password' : 'Password'}</label>
            <input
              id="link-password"
              type="password"
              autoComplete="new-password"
              required
              aria-describedby="link-password-rule"
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              data-testid="link-password"
            />
            <p id="link-password-rule" className="field__help">
              {passwordRule}
            </p>
            <label htmlFor="link-password-again">Password again</label>
            <input
              id="link-password-again"
              type="password"
              autoComplete="new-password"
              required
              value={again}
              onChange={(event) => setAgain(event.target.value)}
              data-testid="link-password-again"
            />
            {error && (
              <p className="field__error" role="alert" data-testid="link-error">
                {error}
              </p>
            )}
            <button
              type="submit"
              className="button button--primary button--wide"
              disabled={busy}
              data-testid="link-submit"
            >
              {busy ? 'Saving…' : asks === 'welcome' ? 'Create the owner account' : 'Set password and sign in'}
            </button>
          </form>
        )}
      </div>
    </main>
  );
}
