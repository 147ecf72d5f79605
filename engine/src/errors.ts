import { type Actor, type RouteRole, rolesAllowed } from './contract/accounts.ts';
import type { ValidationProblem } from './contract/workflows.ts';

/** Why an event or simulation enrolled nobody (`details.reason` of NOT_ENROLLED). */
const enrollmentRefusals = {
  active: 'this conversation already has an active run of this workflow',
  once: 'the workflow enrolls a contact only once and this contact was enrolled before',
  after: 'the contact was enrolled in this workflow within its re-enrolment window',
  duplicate: 'this event was processed before',
} as const;
export type EnrollmentRefusal = keyof typeof enrollmentRefusals;

/**
 * Every error the product raises to a caller, in one table: a stable code per situation a
 * caller may want to tell apart, the HTTP status it maps to, and a message a person can act on
 * (fixed, or built from the facts of the case). Generic codes (BAD_REQUEST, UNAUTHORIZED,
 * BAD_SIGNATURE) take the explanation as it is; NOT_FOUND takes what and which, or its own words.
 */
export const errorCodes = {
  NOT_FOUND: {
    status: 404,
    message: (missing: { what: string; id: string } | string) =>
      typeof missing === 'string' ? missing : `${missing.what} "${missing.id}" does not exist.`,
  },
  WORKFLOW_INVALID: {
    status: 422,
    message: (problems: ValidationProblem[]) =>
      `The workflow has ${problems.length} problem${problems.length === 1 ? '' : 's'} to fix before it can be published: ${problems
        .map((p) => (p.nodeId ? `node "${p.nodeId}": ${p.message}` : p.message))
        .join('; ')}`,
  },
  WORKFLOW_ID_TAKEN: {
    status: 409,
    message: (id: string) => `Workflow "${id}" already exists: pick another id.`,
  },
  /** Publishing lost the race against edits of the draft too many times in a row. */
  WORKFLOW_CHANGING: {
    status: 409,
    message: (id: string) => `Workflow "${id}" kept changing while it was being published: try again.`,
  },
  /** Saving a draft loaded at a revision someone has saved over since (details: revision, savedAt, savedBy). */
  DRAFT_CHANGED: {
    status: 409,
    message: ({ id, savedBy, savedAt }: { id: string; savedBy: string | null; savedAt: number }) =>
      `The draft of workflow "${id}" was saved by ${savedBy ?? 'someone using the API'} at ${new Date(savedAt).toISOString()} since you loaded it: load it again to see their changes, or save again with its current revision to replace them.`,
  },
  WORKFLOW_NOT_PUBLISHED: {
    status: 409,
    message: (id: string) => `Workflow "${id}" is not published: publish it first.`,
  },
  NOT_A_SHORTCUT_WORKFLOW: {
    status: 409,
    message: ({ id, trigger }: { id: string; trigger: string }) =>
      `Workflow "${id}" is not started by a shortcut (its trigger is ${trigger}).`,
  },
  /** An enrolment rule or an earlier delivery of the event kept the contact out. */
  NOT_ENROLLED: {
    status: 409,
    message: (reason: EnrollmentRefusal) => `Not started: ${enrollmentRefusals[reason]}.`,
  },
  /** Deleting or unpublishing a workflow with runs in progress, without saying what happens to them. */
  ACTIVE_RUNS: {
    status: 409,
    message: ({ id, action, count }: { id: string; action: 'delete' | 'unpublish'; count: number }) =>
      `Workflow "${id}" has ${count === 1 ? '1 active run' : `${count} active runs`}: say what happens to ${count === 1 ? 'it' : 'them'} before you ${action} it, with ?activeRuns=finish (they run to their end on the version they started on) or ?activeRuns=cancel (they are cancelled now).`,
  },
  /** Cancelling a workflow's runs: some were executing a step and are not cancelled yet. */
  RUNS_BUSY: {
    status: 409,
    message: ({ id, left }: { id: string; left: number }) =>
      `Workflow "${id}" no longer enrols new conversations, but ${left} of its runs ${left === 1 ? 'is' : 'are'} executing a step and could not be cancelled yet: send the same request again in a moment.`,
  },
  RUN_BUSY: {
    status: 409,
    message: (runId: string) => `Run "${runId}" is busy executing a step; try again in a moment.`,
  },
  RUN_ENDED: {
    status: 409,
    message: ({ runId, status, next }: { runId: string; status: string; next: string }) =>
      `Run "${runId}" has already ended (${status}); ${next}.`,
  },
  /** Retrying a run that has not ended by a failure, or from a step it cannot run again (`run-retry.ts`). */
  RUN_NOT_RETRYABLE: {
    status: 409,
    message: ({ runId, reason }: { runId: string; reason: string }) => `Run "${runId}" cannot be retried: ${reason}.`,
  },
  NOT_A_TEST_RUN: {
    status: 400,
    message: (runId: string) => `Run "${runId}" is not a test run: replies come from the platform.`,
  },
  CONNECTION_ID_TAKEN: {
    status: 409,
    message: (id: string) => `Connection "${id}" already exists: delete it first or pick another id.`,
  },
  /** A connection pointing at a loopback, private or link-local address while HTTP_ALLOW_PRIVATE is off. */
  FORBIDDEN_ADDRESS: {
    status: 400,
    message: ({ field, endpoint, host, reason }: { field: string; endpoint: string; host: string; reason: string }) =>
      `${field} ${endpoint} points at ${host}, which is ${reason}: a connection may not use a loopback, ` +
      'private, link-local or reserved address unless the server runs with HTTP_ALLOW_PRIVATE=true.',
  },
  BAD_REQUEST: { status: 400, message: (explanation: string) => explanation },
  UNAUTHORIZED: { status: 401, message: (explanation: string) => explanation },
  FORBIDDEN: { status: 403, message: (explanation: string) => explanation },
  /** The caller's key (or account) has a role the route does not let through (`rolesAllowed`). */
  ROLE_REQUIRED: {
    status: 403,
    message: ({ needed, actor }: { needed: RouteRole; actor: Actor }) =>
      `This call needs the ${needed} role (${listed(rolesAllowed[needed])}); ${callerOf(actor)}.`,
  },
  BAD_SIGNATURE: { status: 401, message: (explanation: string) => explanation },
  /** Unknown e-mail, wrong password or an account without one: the same words, so nobody learns who has an account. */
  SIGN_IN_FAILED: { status: 401, message: 'Wrong e-mail or password.' },
  /** Failed sign-ins for one e-mail or from one address past the limit (`sign-in-limits.ts`). */
  TOO_MANY_SIGN_INS: {
    status: 429,
    message: (retryAfterSeconds: number) =>
      `Too many failed sign-ins: try again in ${Math.ceil(retryAfterSeconds / 60)} minute${retryAfterSeconds > 60 ? 's' : ''}, or ask an owner for a password reset link.`,
  },
  /** A one-time account link that is unknown, used or expired. */
  LINK_INVALID: {
    status: 400,
    message:
      'This link does not work any more: it was used already, it expired (links last 24 hours) or it was replaced by a newer one. Ask an owner for a new link.',
  },
  EMAIL_TAKEN: {
    status: 409,
    message: (email: string) =>
      `${email} already has an account: change its role on the users page, or send it a password reset link.`,
  },
  /** Demoting or deactivating the last active owner would leave nobody able to manage users. */
  LAST_OWNER: {
    status: 409,
    message: (name: string) =>
      `${name} is the last active owner: make another user an owner first, so someone can still manage users and keys.`,
  },
  HOST_NOT_ALLOWED: {
    status: 403,
    message: ({ host, allowed }: { host: string; allowed: readonly string[] }) =>
      `Requests for host "${host.slice(0, 100)}" are not served here: open this server as ${allowed.join(' or ')}, or set PUBLIC_URL to the address you use.`,
  },
  REQUEST_TIMEOUT: { status: 408, message: 'The request took too long to arrive; send it again.' },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    message: (limitBytes: number) =>
      `The request body is larger than the limit of ${limitBytes} bytes; send a smaller body.`,
  },
  URI_TOO_LONG: { status: 414, message: 'A path parameter is too long; ids are at most 200 characters.' },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: ({ contentType, signed }: { contentType: string; signed: boolean }) =>
      signed
        ? `Content-Type "${contentType.slice(0, 100)}" is not accepted on a signed webhook: send the JSON body with Content-Type: application/json.`
        : `Content-Type "${contentType}" is not accepted: send JSON with Content-Type: application/json.`,
  },
  HEADERS_TOO_LARGE: { status: 431, message: 'The request headers are too large; send fewer or shorter headers.' },
  INTERNAL: {
    status: 500,
    message: (requestId: string) =>
      `Internal error while handling request ${requestId}; the server log has the details.`,
  },
  UNAVAILABLE: {
    status: 503,
    message: (retryAfterSeconds: number) =>
      `The store (Redis) is unreachable; retry in ${retryAfterSeconds} s. Operators: check REDIS_URL and that Redis is running.`,
  },
} as const satisfies Record<string, { status: number; message: string | ((facts: never) => string) }>;
export type ErrorCode = keyof typeof errorCodes;

/** "owner, editor or viewer" */
function listed(words: readonly string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

/** Who was refused, as they would recognise themselves. */
function callerOf(actor: Actor): string {
  if (actor.kind === 'key') return `key "${actor.name}" is ${article(actor.role)} ${actor.role} key`;
  if (actor.kind === 'user') return `${actor.name} has the ${actor.role} role`;
  return `the install's API key has the ${actor.role} role`;
}

const article = (word: string) => (/^[aeiou]/.test(word) ? 'an' : 'a');

/** What `new AppError(code, …)` takes after the code: the facts its message needs, then details. */
export type ErrorArgs<Code extends ErrorCode> = (typeof errorCodes)[Code]['message'] extends (
  facts: infer Facts,
) => string
  ? [facts: Facts, details?: ErrorDetails]
  : [details?: ErrorDetails];

/** Machine-readable facts a caller may act on, e.g. `{ activeRuns: 2 }`. */
export type ErrorDetails = Record<string, unknown>;

/** `new AppError(code, …)`'s arguments, one form per code, so a caller cannot mix them up. */
type AppErrorArgs = { [Code in ErrorCode]: [code: Code, ...rest: ErrorArgs<Code>] }[ErrorCode];

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: ErrorDetails | undefined;
  constructor(...[code, ...rest]: AppErrorArgs) {
    const { status, message } = errorCodes[code];
    const fixed = typeof message === 'string';
    super(fixed ? message : (message as (facts: unknown) => string)(rest[0]));
    this.code = code;
    this.status = status;
    this.details = (fixed ? rest[0] : rest[1]) as ErrorDetails | undefined;
  }
}

export const notFound = (what: string, id: string) => new AppError('NOT_FOUND', { what, id });

export const workflowInvalid = (problems: ValidationProblem[]) =>
  new AppError('WORKFLOW_INVALID', problems, { problems });
