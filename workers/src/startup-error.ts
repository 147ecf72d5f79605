/**
 * A start that cannot go on for a reason the operator fixes (a bad variable, no Redis, a port in
 * use). Entry points print its message as one line and exit 1, without a stack trace.
 */
export class StartupError extends Error {
  override readonly name: string = 'StartupError';
}
