import { z } from 'zod';
import type { AppError } from '../errors.ts';

/** What every non-2xx JSON answer of the API looks like. */
export const ErrorBody = z.object({
  code: z.string().describe('Stable error code, e.g. BAD_REQUEST, UNAUTHORIZED, WORKFLOW_INVALID'),
  message: z.string().describe('What is wrong and how to fix it'),
  details: z.unknown().optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** The one place an error's body is built, whoever answers: a route, the 404, Fastify, Node's parser. */
export function errorBody(error: AppError): ErrorBody {
  const { code, message, details } = error;
  return details === undefined ? { code, message } : { code, message, details };
}

/** Errors any `/api` route can answer: bad input, no key, a role short of the route's, Redis down, a bug. */
export const apiErrors = {
  400: ErrorBody.describe('Bad input: the message names each bad field by its path'),
  401: ErrorBody.describe('Missing, wrong or revoked API key, or a wrong signature'),
  403: ErrorBody.describe("ROLE_REQUIRED: the key's role may not make this call (details: needed, role)"),
  503: ErrorBody.describe('Redis is unreachable; retry after Retry-After seconds'),
} as const;

export const notFoundError = { 404: ErrorBody.describe('No such resource') } as const;
