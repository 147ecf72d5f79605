import { StepError } from '@convoflow/engine';
import type { GraphFailure, WhatsAppConnection } from './graph.ts';

/** Meta's "Re-engagement message": the contact has not written for 24 hours, only a template may go. */
export const WINDOW_CLOSED = 131047;

/** Meta's "Invalid parameter", which is what asking for an id the token cannot see returns. */
const INVALID_PARAMETER = 100;

const TOKEN_REFUSED = 'Meta refused the access token (expired?): put a new one in the connection';

/** How a failed send is reported to the run: retryable only when waiting can help. */
export function sendError(failure: GraphFailure): StepError {
  switch (failure.kind) {
    case 'unreachable':
      return new StepError(`WhatsApp: ${failure.words}`, { retryable: true });
    case 'busy':
      return new StepError(`WhatsApp is busy or throttling this number: ${failure.words}`, { retryable: true });
    case 'token':
      return new StepError(`${TOKEN_REFUSED} (${failure.words})`);
    case 'refused':
      return new StepError(`WhatsApp refused the message: ${failure.words}`);
  }
}

/** The window is closed and no template could go instead. */
export function windowClosedError(
  connection: WhatsAppConnection,
  refused: GraphFailure,
  template?: GraphFailure,
): StepError {
  if (template) {
    return template.kind === 'refused'
      ? new StepError(
          `The contact is outside the 24-hour window (${refused.words}) and Meta refused the template "${connection.settings.templateName}" too: ${template.words}`,
        )
      : sendError(template);
  }
  return new StepError(
    `The contact is outside the 24-hour window (${refused.words}): configure an approved template on the connection to reach them`,
  );
}

/** What `check` says is wrong, in words an operator can act on. */
export function checkProblem(connection: WhatsAppConnection, failure: GraphFailure): string {
  if (failure.kind === 'token') return `${TOKEN_REFUSED} (${failure.words})`;
  if (failure.status === 404 || (failure.kind === 'refused' && failure.code === INVALID_PARAMETER)) {
    return `The phone number id ${connection.settings.phoneNumberId} was not found for this token (${failure.words}): copy it from Meta app → WhatsApp → API Setup`;
  }
  return failure.kind === 'unreachable' ? failure.words : `Meta answered: ${failure.words}`;
}
