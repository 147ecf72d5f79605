import { redactedPaths } from '@convoflow/engine';
import { type Logger, pino } from 'pino';
import type { logLevels } from './config.ts';

/** The process logger: JSON lines on stdout, one `process` field telling which process wrote them. */
export function createLogger(level: (typeof logLevels)[number], processName: string): Logger {
  return pino({
    level,
    base: { process: processName, pid: process.pid },
    redact: { paths: redactedPaths, censor: '[redacted]' },
  });
}
