import { useEffect, useState } from 'react';
import { isHeld } from './leaveGuard.ts';

export type EditorTab = 'design' | 'runs' | 'dashboard';

export type Route =
  | { page: 'list' }
  | { page: 'channels' }
  | { page: 'keys' }
  | { page: 'audit' }
  | { page: 'users' }
  | { page: AccountLinkKind; token: string }
  | { page: 'workflow'; workflowId: string; tab: EditorTab; runId?: string };

/**
 * The one-time links the server hands out, opened before signing in: the owner's first start,
 * an invitation, a password reset. The token rides in the fragment, so no server log sees it.
 */
export const accountLinkKinds = ['welcome', 'invite', 'reset'] as const;
export type AccountLinkKind = (typeof accountLinkKinds)[number];

export function isAccountLink(route: Route): route is { page: AccountLinkKind; token: string } {
  return (accountLinkKinds as readonly string[]).includes(route.page);
}

/**
 * Hash routes: `#/`, `#/channels`, `#/keys`, `#/audit`, `#/users`, `#/welcome|invite|reset/:token`, `#/workflows/:id`, `#/workflows/:id/runs[/:runId]`,
 * `#/workflows/:id/dashboard`. A query after `?` belongs to the page (the runs list's filters).
 */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').replace(/\?.*$/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'channels') return { page: 'channels' };
  if (parts[0] === 'keys') return { page: 'keys' };
  if (parts[0] === 'audit') return { page: 'audit' };
  if (parts[0] === 'users') return { page: 'users' };
  const link = accountLinkKinds.find((kind) => kind === parts[0]);
  if (link && parts[1]) return { page: link, token: parts[1] };
  if (parts[0] !== 'workflows' || !parts[1]) return { page: 'list' };
  const workflowId = parts[1];
  if (parts[2] === 'runs')
    return { page: 'workflow', workflowId, tab: 'runs', ...(parts[3] ? { runId: parts[3] } : {}) };
  if (parts[2] === 'dashboard') return { page: 'workflow', workflowId, tab: 'dashboard' };
  return { page: 'workflow', workflowId, tab: 'design' };
}

export function hrefOf(route: Route): string {
  if (route.page === 'list') return '#/';
  if (route.page === 'channels') return '#/channels';
  if (route.page === 'keys') return '#/keys';
  if (route.page === 'audit') return '#/audit';
  if (route.page === 'users') return '#/users';
  if (isAccountLink(route)) return `#/${route.page}/${encodeURIComponent(route.token)}`;
  const base = `#/workflows/${encodeURIComponent(route.workflowId)}`;
  if (route.tab === 'runs') return route.runId ? `${base}/runs/${encodeURIComponent(route.runId)}` : `${base}/runs`;
  if (route.tab === 'dashboard') return `${base}/dashboard`;
  return base;
}

export function navigate(route: Route): void {
  window.location.hash = hrefOf(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = (event: HashChangeEvent) => {
      // A held change is undone without a new hashchange; pushState also restores the forward
      // entry the browser's Back left, so Back then Leave lands where Back was going.
      if (isHeld(window.location.hash)) window.history.pushState(window.history.state, '', event.oldURL);
      else setRoute(parseRoute(window.location.hash));
    };
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
