import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError } from '../errors.ts';
import { errorBody } from './error-body.ts';

const RETRY_AFTER_SECONDS = 5;

/**
 * The API's one error handler: every failure leaves as `{ code, message, details? }` with a
 * status the caller can act on. Bad input is always a 4xx; a 500 never carries internals.
 */
export function createErrorHandler(bodyLimit: number) {
  return function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
    const answer = describe(error, request, bodyLimit);
    if (answer.status >= 500 && answer.status !== 503) {
      request.log.error({ err: error }, 'request failed');
    } else if (answer.status === 503) {
      request.log.warn({ err: error }, 'dependency unavailable');
      reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    } else {
      request.log.info({ code: answer.error.code, message: answer.error.message }, 'request refused');
    }
    // A refusal for too many attempts says when to try again (TOO_MANY_SIGN_INS).
    const retryAfter = answer.status === 429 ? answer.error.details?.retryAfterSeconds : undefined;
    if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
    return reply.code(answer.status).type('application/json; charset=utf-8').send(errorBody(answer.error));
  };
}

interface Answer {
  status: number;
  error: AppError;
}

const answer = (error: AppError): Answer => ({ status: error.status, error });

function describe(error: FastifyError, request: FastifyRequest, bodyLimit: number): Answer {
  if (error instanceof AppError) return answer(error);
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = error.validationContext ?? 'request';
    const issues = error.validation.map((issue) => ({
      path: [where, ...issue.instancePath.split('/').filter(Boolean)].join('.'),
      message: issue.message,
    }));
    const message = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    return answer(new AppError('BAD_REQUEST', message, { issues }));
  }
  if (isUnavailable(error)) return answer(new AppError('UNAVAILABLE', RETRY_AFTER_SECONDS));
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return answer(new AppError('PAYLOAD_TOO_LARGE', bodyLimit));
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    const contentType = request.headers['content-type'] ?? 'none';
    return answer(new AppError('UNSUPPORTED_MEDIA_TYPE', { contentType, signed: false }));
  }
  if (!isResponseSerializationError(error) && isClientError(error.statusCode)) {
    // Fastify's own 4xx (bad Content-Length, aborted body…) have messages safe to show, and keep their status.
    return { status: error.statusCode, error: new AppError('BAD_REQUEST', error.message) };
  }
  return answer(new AppError('INTERNAL', request.id));
}

const isClientError = (status: number | undefined): status is number =>
  status !== undefined && status >= 400 && status < 500;

const unavailableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);
const unavailableMessages = [
  'Connection is closed',
  "Stream isn't writeable",
  'Reached the max retries per request',
  // ioredis's `commandTimeout`: Redis did not answer in time (unreachable, most likely).
  'Command timed out',
];

/** Redis (or its connection) is down: ioredis and net errors, looked for along the cause chain. */
export function isUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 5) return false;
  if (error.name === 'MaxRetriesPerRequestError') return true;
  const code = 'code' in error ? error.code : undefined;
  if (typeof code === 'string' && unavailableCodes.has(code)) return true;
  if (unavailableMessages.some((text) => error.message.includes(text))) return true;
  if (error instanceof AggregateError && error.errors.some((inner) => isUnavailable(inner, depth + 1))) return true;
  return isUnavailable(error.cause, depth + 1);
}
