import { type Me, type Role, type RouteRole, roleAllows, rolesAllowed } from '@convoflow/engine';
import { useSyncExternalStore } from 'react';
import { ApiError, api, personSession } from '../api/client.ts';

/**
 * Who the signed-in key is (`GET /api/me`), kept for the app: pages read it to show only what
 * the role can do. The server enforces roles on every route; this only spares the operator
 * buttons that would be refused.
 */

/** A server older than roles has no `/api/me`: its only key is the install's, owner-level. */
export const installOwner: Me = { kind: 'install-key', id: 'api-key', name: 'API key', role: 'owner' };

let current: Me | null = null;
const listeners = new Set<() => void>();

export const me = {
  get: (): Me | null => current,
  set: (next: Me | null) => {
    current = next;
    personSession.set(next?.kind === 'user');
    for (const listener of listeners) listener();
  },
};

/** Asks the server who the key is; a 404 (no such route) means an older server, so owner. */
export async function fetchMe(): Promise<Me> {
  try {
    return await api.me();
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return installOwner;
    throw error;
  }
}

export function useMe(): Me | null {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => current,
  );
}

/**
 * Why the signed-in key may not call routes asking for `needed`, for a disabled control's
 * title; null when it may. Before the app knows who signed in (pages rendered on their own, as
 * in their tests) everything is allowed: the server decides anyway.
 */
export function useRefusal(needed: RouteRole): string | null {
  const signedIn = useMe();
  return signedIn === null || roleAllows(signedIn.role, needed)
    ? null
    : refusedBecause(signedIn.role, needed, signedIn.kind === 'user');
}

/** Whether the signed-in key may call routes asking for `needed` (see `useRefusal`). */
export function useCan(needed: RouteRole): boolean {
  return useRefusal(needed) === null;
}

export const roleNames: Readonly<Record<Role, string>> = {
  owner: 'Owner',
  editor: 'Editor',
  viewer: 'Viewer',
  agent: 'Agent',
};

/** What each role may do, in a sentence, for the new-key and invite dialogs and the README. */
export const roleSentences: Readonly<Record<Role, string>> = {
  owner: 'Everything, including users, API keys and the audit log.',
  editor: 'Creates, edits and publishes workflows and channels; no users, API keys or audit log.',
  viewer: 'Reads workflows, runs, versions and dashboards; changes nothing.',
  agent: 'Only runs shortcut workflows from the helpdesk (a Chatwoot macro); cannot open the editor.',
};

/** Why a control is off for `role`, for its title: which roles it takes; `person` when signed in as one, not with a key. */
export function refusedBecause(role: Role, needed: RouteRole, person = false): string {
  const names = rolesAllowed[needed].map((each) => roleNames[each].toLowerCase());
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names.join('');
  return person
    ? `You are ${withArticle(roleNames[role].toLowerCase())}: this needs ${withArticle(list)}; ask an owner.`
    : `Your key is ${withArticle(roleNames[role].toLowerCase())} key: this needs ${withArticle(list)} key.`;
}

/** "an editor", "a viewer": a role (or list of roles) with its article. */
export function withArticle(words: string): string {
  return `${/^[aeiou]/.test(words) ? 'an' : 'a'} ${words}`;
}
