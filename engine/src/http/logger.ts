import type { FastifyBaseLogger } from 'fastify';
import type { Logger } from 'pino';
import { redactedPaths } from '../log-redaction.ts';

/** The request logger: the process logger plus the product's redactions, whatever logger the app was given. */
export function requestLogger(logger: Logger): FastifyBaseLogger {
  return logger.child({}, { redact: { paths: redactedPaths, censor: '[redacted]' } });
}
