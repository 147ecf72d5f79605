import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { apiKey, authEvents } from '../api/client.ts';
import { WorkflowListPage } from '../workflows/WorkflowListPage.tsx';
import { AgentPage } from './AgentPage.tsx';
import { hrefOf, useRoute } from './route.ts';
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

/** The shell: sign-in gate, who signed in (its role), server status banner, and hash routes. */
export function App() {
  const [signedIn, setSignedIn] = useState(() => apiKey.get() !== null);
  const [message, setMessage] = useState<string | null>(null);
  const who = useMe();

  // Read by the 401 listener: a wrong key typed on the sign-in screen is that screen's to report.
  const signedInNow = useRef(signedIn);
  signedInNow.current = signedIn;

  useEffect(() => {
    const expired = () => {
      if (!signedInNow.current) return;
      apiKey.clear();
      me.set(null);
      setMessage('Your API key was not accepted (it may have changed or been revoked). Sign in again.');
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
    apiKey.clear();
    me.set(null);
    setMessage(null);
    setSignedIn(false);
  };

  return (
    <>
      <StatusBanner />
      {!signedIn ? (
        <SignIn
          message={message}
          onSignedIn={() => {
            setMessage(null);
            setWhoError(null);
            setSignedIn(true);
          }}
        />
      ) : who === null ? (
        whoError ? (
          <div className="page__body">
            <p className="notice notice--error" role="alert">
              Could not tell who this key is: {whoError}
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

/** The pages of a key that may read workflows; the owner's pages only for an owner. */
function Pages({ onSignOut }: { onSignOut: () => void }) {
  const route = useRoute();
  const isOwner = useCan('owner');
  if ((route.page === 'keys' || route.page === 'audit') && !isOwner) {
    return (
      <div className="page__body" data-testid="owner-only">
        <p className="notice" role="status">
          API keys and the audit log are for the install's owners; your key is not an owner key.
        </p>
        <a href={hrefOf({ page: 'list' })}>Back to workflows</a>
      </div>
    );
  }
  if (route.page === 'list') return <WorkflowListPage onSignOut={onSignOut} />;
  const [page, loading] =
    route.page === 'channels'
      ? [<ChannelsPage key="channels" />, 'Loading the channels…']
      : route.page === 'keys'
        ? [<KeysPage key="keys" />, 'Loading the API keys…']
        : route.page === 'audit'
          ? [<AuditPage key="audit" />, 'Loading the audit log…']
          : [<EditorPage key={route.workflowId} route={route} />, 'Loading the editor…'];
  return <Suspense fallback={<div className="loading">{loading}</div>}>{page}</Suspense>;
}
