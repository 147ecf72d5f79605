import type { Me } from '@convoflow/engine';

/**
 * What an agent key or person sees: neither can read workflows, so there is no editor to show;
 * it says what the role is for instead, and lets them sign in another way.
 */
export function AgentPage({ who, onSignOut }: { who: Me; onSignOut: () => void }) {
  const person = who.kind === 'user';
  return (
    <main className="sign-in">
      <section className="sign-in__card" aria-labelledby="agent-title" data-testid="agent-page">
        <div className="brand brand--large">
          <span className="brand__mark" aria-hidden="true">
            ◆
          </span>
          Convoflow
        </div>
        <h1 id="agent-title">{person ? 'Your account is for agents' : 'This key is for agents'}</h1>
        <p>
          <strong>{who.name}</strong> {person ? 'is an agent: you' : 'is an agent key: it'} can only run shortcut
          workflows from the helpdesk (a Chatwoot macro calling the connection's shortcut URL).{' '}
          {person ? 'You cannot' : 'It cannot'} open or change workflows.
        </p>
        <p className="muted">
          To set up the shortcut, see <em>Connect Chatwoot</em> in the project's README (the macro's{' '}
          <em>Send webhook event</em> action). To edit workflows,{' '}
          {person ? 'ask an owner for the editor role.' : 'sign in with an editor or owner key.'}
        </p>
        <button type="button" className="button button--wide" onClick={onSignOut} data-testid="sign-out">
          Sign out
        </button>
      </section>
    </main>
  );
}
