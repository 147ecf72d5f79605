import { type FormEvent, useState } from 'react';
import { ApiError, api, apiKey, personSession } from '../api/client.ts';
import { signInErrorText } from './accountWords.ts';
import { editorName } from './editorName.ts';
import { fetchMe, installOwner, me } from './useMe.ts';
import './account.css';

type Way = 'password' | 'key';
const wayStorage = 'convoflow.signInWith';

/** The way this browser signed in last, offered first: people use e-mail and password, integrations' installs a key. */
const lastWay = {
  get: (): Way => (localStorage.getItem(wayStorage) === 'key' ? 'key' : 'password'),
  set: (way: Way) => localStorage.setItem(wayStorage, way),
};

/**
 * Signing in: as a person with e-mail and password (a session cookie the server sets), or with
 * an API key (the one `npm start` printed, or a named key), kept in sessionStorage for this tab.
 * Who signed in (the role) is asked once accepted.
 */
export function SignIn({ message, onSignedIn }: { message: string | null; onSignedIn: () => void }) {
  const [way, setWay] = useState<Way>(lastWay.get);
  const signedIn = () => {
    lastWay.set(way);
    onSignedIn();
  };
  return (
    <main className="sign-in">
      <div className="sign-in__card">
        <div className="brand brand--large">
          <span className="brand__mark" aria-hidden="true">
            ◆
          </span>
          Convoflow
        </div>
        <h1 id="sign-in-title">Sign in</h1>
        {message && (
          <p className="notice" role="status">
            {message}
          </p>
        )}
        {way === 'password' ? <PasswordForm onSignedIn={signedIn} /> : <KeyForm onSignedIn={signedIn} />}
        <button
          type="button"
          className="button button--ghost button--wide"
          onClick={() => setWay(way === 'password' ? 'key' : 'password')}
          data-testid={way === 'password' ? 'use-api-key' : 'use-password'}
        >
          {way === 'password' ? 'Use an API key instead' : 'Use e-mail and password instead'}
        </button>
      </div>
    </main>
  );
}

/** E-mail and password: the server answers with a session cookie; a wrong pair and too many tries say so in words. */
function PasswordForm({ onSignedIn }: { onSignedIn: () => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.session.signIn({ email: email.trim(), password });
      // The session replaces any key this tab held: calls now carry the cookie.
      apiKey.clear();
      personSession.set(true);
      me.set(await api.me());
      onSignedIn();
    } catch (caught) {
      setError(signInErrorText(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="sign-in__form" onSubmit={submit} aria-labelledby="sign-in-title">
      <label htmlFor="sign-in-email">E-mail</label>
      <input
        id="sign-in-email"
        type="email"
        autoComplete="username"
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        data-testid="sign-in-email"
        required
      />
      <label htmlFor="sign-in-password">Password</label>
      <input
        id="sign-in-password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        data-testid="sign-in-password"
        required
      />
      {error && (
        <p className="field__error" role="alert" data-testid="sign-in-error">
          {error}
        </p>
      )}
      <button
        type="submit"
        className="button button--primary button--wide"
        disabled={busy || !email.trim() || !password}
        data-testid="sign-in"
      >
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
      <p className="muted">
        Forgot your password? Ask an owner of this install for a reset link. New install? Open the link{' '}
        <code>npm start</code> printed to create the owner's account.
      </p>
    </form>
  );
}

/** The API key form, for installs without accounts yet and for checking what a named key sees. */
function KeyForm({ onSignedIn }: { onSignedIn: () => void }) {
  const [key, setKey] = useState('');
  const [name, setName] = useState(editorName.get);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    apiKey.set(key.trim());
    editorName.set(name);
    try {
      const who = await fetchMe();
      // An older server's missing /api/me says nothing about the key: a read checks it.
      if (who === installOwner) await api.workflows.list();
      me.set(who);
      onSignedIn();
    } catch (caught) {
      apiKey.clear();
      setError(
        caught instanceof ApiError && caught.status === 401
          ? 'That key was not accepted. Copy the API key printed in the terminal where you ran `npm start`.'
          : caught instanceof Error
            ? caught.message
            : String(caught),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="sign-in__form" onSubmit={submit} aria-labelledby="sign-in-title">
      <p className="muted">
        Paste the API key that <code>npm start</code> printed, or a key an owner made for you. It is kept for this
        browser tab only.
      </p>
      <label htmlFor="api-key">API key</label>
      <input
        id="api-key"
        type="password"
        autoComplete="current-password"
        value={key}
        onChange={(event) => setKey(event.target.value)}
        data-testid="api-key"
        required
      />
      <label htmlFor="editor-name">Your name</label>
      <input
        id="editor-name"
        maxLength={100}
        autoComplete="name"
        aria-describedby="editor-name-hint"
        value={name}
        onChange={(event) => setName(event.target.value)}
        data-testid="editor-name"
      />
      <p id="editor-name-hint" className="muted">
        The install's key is shared: your changes go under this name. Kept in this browser.
      </p>
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
      <button
        type="submit"
        className="button button--primary button--wide"
        disabled={busy || !key.trim()}
        data-testid="sign-in"
      >
        {busy ? 'Checking…' : 'Sign in'}
      </button>
    </form>
  );
}
