import type { ValidationProblem } from './contract/workflows.ts';

/**
 * Every error the product raises to a caller, in one table: a stable code, the HTTP status
 * it maps to, and a message a person can act on.
 */
export const errorCodes = {
  NOT_FOUND: 404,
  CONFLICT: 409,
  WORKFLOW_INVALID: 422,
  WORKFLOW_NOT_PUBLISHED: 409,
  /** Deleting or unpublishing a workflow with runs in progress, without saying what happens to them. */
  ACTIVE_RUNS: 409,
  UNAUTHORIZED: 401,
  BAD_SIGNATURE: 401,
  BAD_REQUEST: 400,
  /** A connection pointing at a loopback, private or link-local address while HTTP_ALLOW_PRIVATE is off. */
  FORBIDDEN_ADDRESS: 400,
  HOST_NOT_ALLOWED: 403,
  REQUEST_TIMEOUT: 408,
  URI_TOO_LONG: 414,
  HEADERS_TOO_LARGE: 431,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNAVAILABLE: 503,
  INTERNAL: 500,
} as const;
export type ErrorCode = keyof typeof errorCodes;

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.status = errorCodes[code];
  }
}

export const notFound = (what: string, id: string) => new AppError('NOT_FOUND', `${what} "${id}" does not exist.`);

export const workflowInvalid = (problems: ValidationProblem[]) =>
  new AppError(
    'WORKFLOW_INVALID',
    `The workflow has ${problems.length} problem${problems.length === 1 ? '' : 's'} to fix before it can be published: ${problems
      .map((p) => (p.nodeId ? `node "${p.nodeId}": ${p.message}` : p.message))
      .join('; ')}`,
    { problems },
  );
