import type { Logger } from 'pino';
import { StartupError } from './startup-error.ts';

/** Registers what to close on shutdown; closed in reverse order of registration. */
export type Defer = (close: () => Promise<void>) => void;

export interface ProcessContext {
  defer: Defer;
  /** The logger that reports errors and shutdown from here on. */
  adoptLogger(logger: Logger): void;
}

/**
 * Runs a process entry point: `start` builds everything and registers closers with `defer`.
 * - A `StartupError` (bad config, no Redis, port in use) prints one line and exits 1.
 * - SIGTERM/SIGINT close everything in reverse order (HTTP stops accepting, the worker lets
 *   in-flight steps finish, then queues and Redis close) and exit 0; a second signal forces exit 1.
 * - An uncaught exception or unhandled rejection is logged, then the process shuts down and exits 1.
 */
export function runProcess(start: (context: ProcessContext) => Promise<void>): void {
  const closers: (() => Promise<void>)[] = [];
  let logger: Logger | undefined;
  let stopping = false;

  const closeAll = async (): Promise<boolean> => {
    let clean = true;
    for (const close of closers.reverse()) {
      try {
        await close();
      } catch (error) {
        clean = false;
        report(logger, error, 'Error while shutting down');
      }
    }
    return clean;
  };

  const shutdown = (reason: string, exitCode: number) => {
    if (stopping) {
      process.stderr.write(`${reason} again: exiting now without waiting for in-flight work.\n`);
      process.exit(1);
    }
    stopping = true;
    logger?.info(`${reason}: shutting down (send it again to force)`);
    void closeAll().then((clean) => {
      logger?.info('Stopped');
      process.exit(clean ? exitCode : 1);
    });
  };

  process.on('SIGTERM', () => shutdown('SIGTERM', 0));
  process.on('SIGINT', () => shutdown('SIGINT', 0));
  process.on('uncaughtException', (error) => {
    report(logger, error, 'Uncaught exception');
    shutdown('Uncaught exception', 1);
  });
  process.on('unhandledRejection', (error) => {
    report(logger, error, 'Unhandled promise rejection');
    shutdown('Unhandled promise rejection', 1);
  });

  const context: ProcessContext = {
    defer: (close) => closers.push(close),
    adoptLogger: (processLogger) => {
      logger = processLogger;
    },
  };
  start(context).catch(async (error: unknown) => {
    stopping = true;
    if (error instanceof StartupError) process.stderr.write(`${error.message}\n`);
    else report(logger, error, 'Start failed');
    await closeAll();
    process.exit(1);
  });
}

function report(logger: Logger | undefined, error: unknown, message: string): void {
  if (logger) logger.error({ err: error }, message);
  else process.stderr.write(`${message}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
}
