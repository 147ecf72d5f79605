import { ApiError } from '../api/client.ts';
import './ui.css';

/** What went wrong and what the operator can do about it, with an optional retry. */
export function ErrorNotice({ error, action, onRetry }: { error: unknown; action?: string; onRetry?: () => void }) {
  const { message, hint } = describeError(error);
  return (
    <div className="cf-error" role="alert">
      <p className="cf-error__title">{action ? `${action}: ${message}` : message}</p>
      {hint && <p className="cf-error__hint">{hint}</p>}
      {onRetry && (
        <button type="button" className="cf-button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** A message for any thrown value, and a hint saying what to do for the usual API failures. */
export function describeError(error: unknown): { message: string; hint?: string } {
  if (error instanceof ApiError) {
    if (error.status === 0) return { message: error.message };
    // 403: the key was accepted, but its role may not do this; the message names the role needed.
    if (error.status === 403)
      return { message: error.message, hint: 'Ask an owner for a key with that role, then sign in with it.' };
    if (error.status === 401)
      return {
        message: error.message,
        hint: 'The API key was refused. Sign in again with the key printed when the server started.',
      };
    if (error.status === 404) return { message: error.message, hint: 'It may have been deleted. Go back to the list.' };
    if (error.status === 503)
      return {
        message: error.message,
        hint: 'The server cannot reach Redis. Start Redis (REDIS_URL) and try again.',
      };
    if (error.status >= 500)
      return { message: error.message, hint: 'The server failed. Its log (the terminal running it) says why.' };
    return { message: error.message };
  }
  if (error instanceof Error) return { message: error.message };
  return { message: String(error) };
}
