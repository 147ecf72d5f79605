import { sameKey } from '../accounts/api-key-token.ts';

/** The token of an `Authorization: Bearer <token>` header; undefined for anything else. */
export function bearerToken(authorization: string | undefined): string | undefined {
  return authorization?.match(/^Bearer[ \t]+(\S+)\s*$/i)?.[1] || undefined;
}

/** Checks an `Authorization: Bearer <key>` header against the configured key, in constant time. */
export function bearerMatches(expectedKey: string, authorization: string | undefined): boolean {
  const token = bearerToken(authorization);
  return token !== undefined && sameKey(expectedKey, token);
}
