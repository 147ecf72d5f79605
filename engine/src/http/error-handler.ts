import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError } from '../errors.ts';
import type { ErrorBody } from './error-body.ts';

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
      request.log.info({ code: answer.body.code, message: answer.body.message }, 'request refused');
    }
    return reply.code(answer.status).type('application/json; charset=utf-8').send(answer.body);
  };
}

interface Answer {
  status: number;
  body: ErrorBody;
}

function describe(error: FastifyError, request: FastifyRequest, bodyLimit: number): Answer {
  if (error instanceof AppError) {
    return { status: error.status, body: { code: error.code, message: error.message, details: error.details } };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = error.validationContext ?? 'request';
    const issues = error.validation.map((issue) => ({
      path: [where, ...issue.instancePath.split('/').filter(Boolean)].join('.'),
      message: issue.message,
    }));
    return {
      status: 400,
      body: {
        code: 'BAD_REQUEST',
        message: issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '),
        details: { issues },
      },
    };
  }
  if (isUnavailable(error)) {
    return {
      status: 503,
      body: {
        code: 'UNAVAILABLE',
        message: `The store (Redis) is unreachable; retry in ${RETRY_AFTER_SECONDS} s. Operators: check REDIS_URL and that Redis is running.`,
      },
    };
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return {
      status: 413,
      body: {
        code: 'PAYLOAD_TOO_LARGE',
        message: `The request body is larger than the limit of ${bodyLimit} bytes; send a smaller body.`,
      },
    };
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    const contentType = request.headers['content-type'] ?? 'none';
    return {
      status: 415,
      body: {
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: `Content-Type "${contentType}" is not accepted: send JSON with Content-Type: application/json.`,
      },
    };
  }
  if (!isResponseSerializationError(error) && isClientError(error.statusCode)) {
    // Fastify's own 4xx (bad Content-Length, aborted body…) have messages safe to show.
    return { status: error.statusCode, body: { code: 'BAD_REQUEST', message: error.message } };
  }
  return {
    status: 500,
    body: {
      code: 'INTERNAL',
      message: `Internal error while handling request ${request.id}; the server log has the details.`,
    },
  };
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
