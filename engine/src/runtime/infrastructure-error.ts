import { StepError } from '../sdk/errors.ts';
import { DecryptionError } from '../stores/crypto.ts';

/**
 * The engine itself (Redis, most likely) failed while a step used one of its services. This is
 * not the step's failure: the job is retried and the step re-executed once the engine is back.
 */
export class InfrastructureError extends Error {
  override readonly name = 'InfrastructureError';
  constructor(what: string, cause: unknown) {
    super(`${what} failed (${cause instanceof Error ? cause.message : String(cause)}); the step will be retried.`, {
      cause,
    });
  }
}

/** Step errors pass through; a connection that cannot be decrypted is a configuration error; the rest is ours. */
export function asServiceError(what: string, error: unknown): Error {
  if (error instanceof StepError) return error;
  if (error instanceof DecryptionError) {
    return new StepError(
      `${what}: the stored secret cannot be decrypted with the current ENCRYPTION_KEY; add the connection again.`,
    );
  }
  return new InfrastructureError(what, error);
}
