import { ApiError } from '../api/client.ts';
import { apiErrorText } from '../workflows/apiErrorText.ts';

/** The server's rule for a new password (the contract's SetPasswordInput), shown beside the field. */
export const passwordRule = 'At least 12 characters. A few words you will remember make a good one.';
const minPasswordLength = 12;

/** "in 3 minutes", "in a minute": when a rate-limited sign-in may be tried again. */
export function retryIn(seconds: number | undefined): string {
  if (seconds === undefined || seconds <= 60) return 'in a minute';
  return `in ${Math.ceil(seconds / 60)} minutes`;
}

/** A rate-limited call's wait: the `Retry-After` header, else the error's details. */
function waitOf(error: ApiError): number | undefined {
  const details = error.details as { retryAfterSeconds?: unknown } | undefined;
  return (
    error.retryAfterSeconds ?? (typeof details?.retryAfterSeconds === 'number' ? details.retryAfterSeconds : undefined)
  );
}

/** A refused sign-in in words: one message for a wrong e-mail or password (no hint which). */
export function signInErrorText(error: unknown): string {
  if (error instanceof ApiError && error.status === 401) return 'Wrong e-mail or password.';
  if (error instanceof ApiError && error.status === 429)
    return `Too many attempts. Try again ${retryIn(waitOf(error))}, or ask an owner for a password reset link.`;
  return apiErrorText(error);
}

/** A refused one-time link in words: used, expired or unknown links all say to ask for a new one. */
export function linkErrorText(error: unknown): string {
  if (error instanceof ApiError && error.status === 429)
    return `Too many attempts. Try again ${retryIn(waitOf(error))}.`;
  if (error instanceof ApiError && error.code !== 'LINK_INVALID' && [401, 404, 410].includes(error.status))
    return 'This link does not work any more: it was used already or it expired. Ask an owner for a new link.';
  return apiErrorText(error);
}

/** Why two typed passwords cannot be set yet, or null when they can. */
export function passwordProblem(password: string, again: string): string | null {
  if (password.length < minPasswordLength) return `The password needs at least ${minPasswordLength} characters.`;
  if (password !== again) return 'The two passwords are not the same.';
  return null;
}
