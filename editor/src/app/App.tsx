import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { apiKey, authEvents } from '../api/client.ts';
import { WorkflowListPage } from '../workflows/WorkflowListPage.tsx';
import { useRoute } from './route.ts';
import { SignIn } from './SignIn.tsx';
import { StatusBanner } from './StatusBanner.tsx';

/** The canvas (React Flow, node registry, zod) loads only when a workflow is opened. */
const EditorPage = lazy(() => import('../canvas/EditorPage.tsx'));
/** The channel forms need the channel definitions and zod: also only when opened. */
const ChannelsPage = lazy(() => import('../channels/ChannelsPage.tsx'));

/** The shell: sign-in gate, server status banner, and hash routes. */
export function App() {
  const [signedIn, setSignedIn] = useState(() => apiKey.get() !== null);
  const [message, setMessage] = useState<string | null>(null);
  const route = useRoute();

  // Read by the 401 listener: a wrong key typed on the sign-in screen is that screen's to report.
  const signedInNow = useRef(signedIn);
  signedInNow.current = signedIn;

  useEffect(() => {
    const expired = () => {
      if (!signedInNow.current) return;
      apiKey.clear();
      setMessage('Your API key was not accepted (it may have changed when the server restarted). Sign in again.');
      setSignedIn(false);
    };
    authEvents.addEventListener('unauthorized', expired);
    return () => authEvents.removeEventListener('unauthorized', expired);
  }, []);

  return (
    <>
      <StatusBanner />
      {!signedIn ? (
        <SignIn
          message={message}
          onSignedIn={() => {
            setMessage(null);
            setSignedIn(true);
          }}
        />
      ) : route.page === 'list' ? (
        <WorkflowListPage />
      ) : route.page === 'channels' ? (
        <Suspense fallback={<div className="loading">Loading the channels…</div>}>
          <ChannelsPage />
        </Suspense>
      ) : (
        <Suspense fallback={<div className="loading">Loading the editor…</div>}>
          <EditorPage key={route.workflowId} route={route} />
        </Suspense>
      )}
    </>
  );
}
