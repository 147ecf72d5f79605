import type { StepData } from './runner.ts';

/**
 * Errors a step can raise. The engine records the message in the run's step log, so it must
 * tell an operator what to change.
 */
export class StepError extends Error {
  override readonly name: string = 'StepError';
  /** Retrying the step later may succeed (network error, 429, 5xx). */
  readonly retryable: boolean;
  /** What the step sent and received before it failed, shown in the run's log like an outcome's. */
  readonly data: StepData | undefined;
  constructor(message: string, options: { retryable?: boolean; cause?: unknown; data?: StepData } = {}) {
    super(message, { cause: options.cause });
    this.retryable = options.retryable ?? false;
    this.data = options.data;
  }
}

export class ConnectionNotFoundError extends StepError {
  override readonly name = 'ConnectionNotFoundError';
  constructor(connectionId: string) {
    super(`Connection "${connectionId}" does not exist: add it under Connections or pick another one.`);
  }
}

export class ConnectionTypeError extends StepError {
  override readonly name = 'ConnectionTypeError';
  constructor(connectionId: string, actual: string, expected: string) {
    super(
      `Connection "${connectionId}" is of type "${actual}", but this needs one of type "${expected}": pick another.`,
    );
  }
}
