import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { api, apiKey, authEvents } from '../api/client.ts';
import { WorkflowListPage } from '../workflows/WorkflowListPage.tsx';
import { AccountLinkPage } from './AccountLinkPage.tsx';
import { AgentPage } from './AgentPage.tsx';
import { hrefOf, isAccountLink, useRoute } from './route.ts';
import { SignIn } from './SignIn.tsx';
import { StatusBanner } from './StatusBanner.tsx';
import { fetchMe, me, useCan, useMe } from './useMe.ts';

/** The canvas (React Flow, node registry, zod) loads only when a workflow is opened. */
const EditorPage = lazy(() => import('../canvas/EditorPage.tsx'));
/** The channel forms need the channel definitions and zod: also only when opened. */
const ChannelsPage = lazy(() => import('../channels/ChannelsPage.tsx'));
/** The owner's pages: most sessions never open them. */
const KeysPage = lazy(() => import('../team/KeysPage.tsx'));
const AuditPage = lazy(() => import('../team/AuditPage.tsx'));
const UsersPage = lazy(() => import('../team/UsersPage.tsx'));

/**
 * The shell: sign-in gate (a key in this tab, or a person's session cookie), who signed in (its
 * role), server status banner, the one-time link pages (open without signing in), and hash routes.
 */
export function App() {
  const [signedIn, setSignedIn] = useState(() => apiKey.get() !== null);
  // Without a key, a session cookie may still sign the tab in (a reload, a new tab): asked once.
  const [asking, setAsking] = useState(() => apiKey.get() === null);
  const [message, setMessage] = useState<string | null>(null);
  const who = useMe();
  const route = useRoute();

  useEffect(() => {
    if (!asking) return;
    api
      .me()
      .then((answer) => {
        // Only a person's session counts here; a key is typed on the sign-in page.
        if (answer.kind !== 'user') return;
        me.set(answer);
        setSignedIn(true);
      })
      // No session (401), an older server (404) or none reachable: the sign-in page says the rest.
      .catch(() => undefined)
      .finally(() => setAsking(false));
  }, [asking]);

  // Read by the 401 listener: a wrong key typed on the sign-in screen is that screen's to report.
  const signedInNow = useRef(signedIn);
  signedInNow.current = signedIn;

  useEffect(() => {
    const expired = () => {
      if (!signedInNow.current) return;
      const person = me.get()?.kind === 'user';
      apiKey.clear();
      me.set(null);
      setMessage(
        person
          ? 'Your session ended (you signed out elsewhere, your password changed, or an owner deactivated the account). Sign in again.'
          : 'Your API key was not accepted (it may have changed or been revoked). Sign in again.',
      );
      setSignedIn(false);
    };
    authEvents.addEventListener('unauthorized', expired);
    return () => authEvents.removeEventListener('unauthorized', expired);
  }, []);

  // A reload keeps the key (sessionStorage) but not who it is: ask again.
  const [whoError, setWhoError] = useState<string | null>(null);
  useEffect(() => {
    if (!signedIn || me.get() !== null) return;
    fetchMe()
      .then(me.set)
      .catch((error: unknown) => setWhoError(error instanceof Error ? error.message : String(error)));
  }, [signedIn]);

  const signOut = () => {
    // A person's session ends on the server too; a key is only forgotten by this tab.
    if (me.get()?.kind === 'user') api.session.signOut().catch(() => undefined);
    apiKey.clear();
    me.set(null);
    setMessage(null);
    setSignedIn(false);
  };

  const enter = () => {
    setMessage(null);
    setWhoError(null);
    setSignedIn(true);
  };

  return (
    <>
      <StatusBanner />
      {isAccountLink(route) ? (
        <AccountLinkPage key={route.token} kind={route.page} token={route.token} onSignedIn={enter} />
      ) : asking ? (
        <div className="loading">Loading…</div>
      ) : !signedIn ? (
        <SignIn message={message} onSignedIn={enter} />
      ) : who === null ? (
        whoError ? (
          <div className="page__body">
            <p className="notice notice--error" role="alert">
              Could not tell who signed in: {whoError}
            </p>
            <button type="button" className="button" onClick={signOut}>
              Sign out
            </button>
          </div>
        ) : (
          <div className="loading">Signing in…</div>
        )
      ) : who.role === 'agent' ? (
        <AgentPage who={who} onSignOut={signOut} />
      ) : (
        <Pages onSignOut={signOut} />
      )}
    </>
  );
}

/** The pages of a key or person that may read workflows; the owner's pages only for an owner. */
function Pages({ onSignOut }: { onSignOut: () => void }) {
  const route = useRoute();
  const isOwner = useCan('owner');
  const person = useMe()?.kind === 'user';
  if ((route.page === 'keys' || route.page === 'audit' || route.page === 'users') && !isOwner) {
    return (
      <div className="page__body" data-testid="owner-only">
        <p className="notice" role="status">
          Users, API keys and the audit log are for the install's owners;{' '}
          {person ? 'you are not an owner.' : 'your key is not an owner key.'}
        </p>
        <a href={hrefOf({ page: 'list' })}>Back to workflows</a>
      </div>
    );
  }
  if (route.page === 'list' || isAccountLink(route)) return <WorkflowListPage onSignOut={onSignOut} />;
  const [page, loading] =
    route.page === 'channels'
      ? [<ChannelsPage key="channels" />, 'Loading the channels…']
      : route.page === 'keys'
        ? [<KeysPage key="keys" />, 'Loading the API keys…']
        : route.page === 'audit'
          ? [<AuditPage key="audit" />, 'Loading the audit log…']
          : route.page === 'users'
            ? [<UsersPage key="users" />, 'Loading the users…']
            : [<EditorPage key={route.workflowId} route={route} />, 'Loading the editor…'];
  return <Suspense fallback={<div className="loading">{loading}</div>}>{page}</Suspense>;
}
