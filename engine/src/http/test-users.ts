import type { LightMyRequestResponse } from 'fastify';
import type { AccountLink, Role, UserSummary } from '../contract/accounts.ts';
import { SESSION_COOKIE } from './session-cookie.ts';
import type { TestApp } from './test-app.ts';

/** For the API's tests: people with accounts, made through the API as an owner would. */

export const PASSWORD = 'correct horse battery staple';

/** The token of a one-time link (the last segment of its fragment). */
export const tokenOf = (link: AccountLink) => link.url.slice(link.url.lastIndexOf('/') + 1);

/** `cf_session=<id>` from an answer's Set-Cookie, ready for a Cookie header; throws when none was set. */
export function sessionOf(response: LightMyRequestResponse): string {
  const header = [response.headers['set-cookie'] ?? []].flat().find((value) => value.startsWith(`${SESSION_COOKIE}=`));
  const pair = header?.split(';')[0];
  if (!pair || pair === `${SESSION_COOKIE}=`)
    throw new Error(`no session cookie set: ${response.statusCode} ${response.body}`);
  return pair;
}

export interface TestUser {
  user: UserSummary;
  email: string;
  /** `cf_session=<id>`, signed in. */
  cookie: string;
}

/** Invites a person with the install's key and accepts the invitation: signed in, by cookie. */
export async function signedInUser(
  t: TestApp,
  role: Role,
  email = `${role}-${Date.now()}@example.com`,
): Promise<TestUser> {
  const invited = await t.api('POST', '/api/users', {
    email,
    name: `${role[0]?.toUpperCase()}${role.slice(1)} person`,
    role,
  });
  if (invited.statusCode !== 201) throw new Error(`invite failed: ${invited.body}`);
  const { user, link } = invited.json() as { user: UserSummary; link: AccountLink };
  const accepted = await t.app.inject({
    method: 'POST',
    url: '/api/account/password',
    payload: { token: tokenOf(link), password: PASSWORD },
  });
  return { user, email, cookie: sessionOf(accepted) };
}

/** Headers of a signed-in browser call from the app's own page (`inject`'s Host is `localhost:80`). */
export const browser = (cookie: string) => ({ cookie, origin: 'http://localhost:80' });
