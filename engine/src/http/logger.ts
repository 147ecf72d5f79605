import type { FastifyBaseLogger } from 'fastify';
import type { Logger } from 'pino';

/** Credentials that must never reach a log line, whatever a route or plugin logs. */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers["x-signature-256"]',
  'headers.authorization',
  'headers["x-signature-256"]',
  '*.serviceAccountKey',
  '*.private_key',
  '*.serviceAccountKey.private_key',
];

/** The request logger: the process logger plus the API's redactions. */
export function requestLogger(logger: Logger): FastifyBaseLogger {
  return logger.child({}, { redact: { paths: redactedPaths, censor: '[redacted]' } });
}
