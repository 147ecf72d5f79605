import { type FormEvent, useState } from 'react';
import { ApiError, api, apiKey } from '../api/client.ts';
import { editorName } from './editorName.ts';
import { fetchMe, installOwner, me } from './useMe.ts';

/**
 * The API key printed by `npm start` (or a named key an owner made), kept in sessionStorage for
 * this tab; who the key is (its role) is asked once it is accepted.
 */
export function SignIn({ message, onSignedIn }: { message: string | null; onSignedIn: () => void }) {
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
    <main className="sign-in">
      <form className="sign-in__card" onSubmit={submit} aria-labelledby="sign-in-title">
        <div className="brand brand--large">
          <span className="brand__mark" aria-hidden="true">
            ◆
          </span>
          Convoflow
        </div>
        <h1 id="sign-in-title">Sign in</h1>
        <p className="muted">
          Paste the API key that <code>npm start</code> printed, or a key an owner made for you. It is kept for this
          browser tab only.
        </p>
        {message && (
          <p className="notice" role="status">
            {message}
          </p>
        )}
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
          Shown to colleagues when they would save over your changes. Kept in this browser.
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
    </main>
  );
}
