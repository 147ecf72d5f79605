import type { Actor } from '../contract/accounts.ts';
import { AppError } from '../errors.ts';
import type { KeyCheck } from './api-key-auth.ts';
import { sameKey } from './api-key-token.ts';
import type { SessionCheck } from './user-accounts.ts';

/** What an `X-Editor-Name` is cut to, as drafts keep it. */
const NAME_MAX = 100;

export interface CallerSources {
  /** The install's `API_KEY`: an owner, for integrations set up before named keys. */
  installKey: string;
  /** Named keys; absent where none can exist (then only the install's key is known). */
  checkKey?: (token: string) => Promise<KeyCheck>;
  /** Signed-in people's sessions; absent where there are none. */
  checkSession?: (sessionId: string) => Promise<SessionCheck>;
}

/**
 * Who a browser's session cookie signs in, for a call without a bearer token: UNAUTHORIZED
 * when the session ended (signed out, expired, password changed) or the account is deactivated.
 */
export async function identifySession(sessionId: string, sources: CallerSources): Promise<Actor> {
  const check: SessionCheck = sources.checkSession ? await sources.checkSession(sessionId) : { kind: 'ended' };
  if (check.kind === 'valid') return check.actor;
  if (check.kind === 'deactivated') {
    throw new AppError('UNAUTHORIZED', `The account of ${check.name} is deactivated: ask an owner to reactivate it.`);
  }
  throw new AppError(
    'UNAUTHORIZED',
    'Your session has ended (signed out, expired, or the password changed): sign in again.',
  );
}

/**
 * Who is calling, from the bearer token: the install's key (named after `X-Editor-Name`, which
 * the editor sends, else "API key") or a named key. UNAUTHORIZED when it is neither, saying so
 * for a revoked key.
 */
export async function identifyCaller(
  token: string | undefined,
  editorName: string | undefined,
  sources: CallerSources,
): Promise<Actor> {
  if (token !== undefined && sameKey(sources.installKey, token)) {
    const name = editorName?.trim().slice(0, NAME_MAX) || 'API key';
    return { kind: 'install-key', id: 'api-key', name, role: 'owner' };
  }
  const check: KeyCheck = token !== undefined && sources.checkKey ? await sources.checkKey(token) : { kind: 'unknown' };
  if (check.kind === 'valid') return check.actor;
  if (check.kind === 'revoked') {
    throw new AppError(
      'UNAUTHORIZED',
      `API key "${check.name}" (${check.prefix}) was revoked at ${new Date(check.revokedAt).toISOString()}: ask an owner for a new key.`,
      { revokedAt: check.revokedAt },
    );
  }
  throw new AppError(
    'UNAUTHORIZED',
    'Missing or wrong API key: send Authorization: Bearer <key> (printed at start, or API_KEY)',
  );
}
