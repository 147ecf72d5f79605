import { type Logger, pino } from 'pino';
import type { logLevels } from './config.ts';

/** Credentials that must never reach a log line, whichever module logs the object holding them. */
const redactedPaths = [
  'apiKey',
  'webhookSecret',
  'encryptionKey',
  'req.headers.authorization',
  'req.headers["x-signature-256"]',
  'headers.authorization',
  'headers["x-signature-256"]',
  '*.serviceAccountKey',
  '*.private_key',
];

/** The process logger: JSON lines on stdout, one `process` field telling which process wrote them. */
export function createLogger(level: (typeof logLevels)[number], processName: string): Logger {
  return pino({
    level,
    base: { process: processName, pid: process.pid },
    redact: { paths: redactedPaths, censor: '[redacted]' },
  });
}
