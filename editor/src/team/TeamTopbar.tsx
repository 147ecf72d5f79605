import { hrefOf } from '../app/route.ts';

/** The owner's pages share a top bar: back to the workflows, and each other. */
export function TeamTopbar({
  title,
  current,
  children,
}: {
  title: string;
  current: 'users' | 'keys' | 'audit';
  children?: React.ReactNode;
}) {
  return (
    <header className="topbar">
      <a className="topbar__back" href={hrefOf({ page: 'list' })} aria-label="Back to workflows">
        ←
      </a>
      <h1 className="team-title">{title}</h1>
      <nav className="team-nav" aria-label="Team">
        <a
          href={hrefOf({ page: 'users' })}
          aria-current={current === 'users' ? 'page' : undefined}
          data-testid="team-users"
        >
          Users
        </a>
        <a
          href={hrefOf({ page: 'keys' })}
          aria-current={current === 'keys' ? 'page' : undefined}
          data-testid="team-keys"
        >
          API keys
        </a>
        <a
          href={hrefOf({ page: 'audit' })}
          aria-current={current === 'audit' ? 'page' : undefined}
          data-testid="team-audit"
        >
          Audit log
        </a>
      </nav>
      <div className="topbar__actions">{children}</div>
    </header>
  );
}
