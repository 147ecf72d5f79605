import { type ChannelMessage, defineAdapter } from '@convoflow/engine';
import { whatsapp } from './definition.ts';
import { checkProblem, sendError, WINDOW_CLOSED, windowClosedError } from './errors.ts';
import { eventsOf } from './events.ts';
import { callGraph, type GraphAnswer } from './graph.ts';
import { freeFormMessage, templateMessage } from './messages.ts';
import { PhoneNumber, SentMessages, webhookValues } from './payloads.ts';
import { answerHandshake, checkSignature } from './verification.ts';

/** Free-form and interactive messages reach a contact only this long after their last message. */
const WINDOW_MS = 24 * 60 * 60 * 1000;

export const whatsappAdapter = defineAdapter({
  definition: whatsapp,

  receive(call, connection) {
    if (call.method === 'GET') return answerHandshake(call, connection.secrets.verifyToken);
    checkSignature(call, connection.secrets.appSecret);
    // One Meta app may serve several numbers: the others' changes are not this connection's.
    const events = webhookValues(call.rawBody)
      .filter((value) => value.metadata.phone_number_id === connection.settings.phoneNumberId)
      .flatMap((value) => eventsOf(value, connection.id));
    return { kind: 'events', events };
  },

  // Meta takes no idempotency key: a send retried after its answer was lost can reach the
  // contact twice.
  async send(connection, binding, message, context) {
    const { templateName, templateLanguage, phoneNumberId } = connection.settings;
    const post = (body: unknown) =>
      callGraph(connection, context, { method: 'POST', path: `${phoneNumberId}/messages`, body });
    const template = templateName
      ? () => post(templateMessage(binding, message, { name: templateName, language: templateLanguage }))
      : undefined;

    if (template && !windowOpen(message, context.now())) return sent(await template());
    const freeForm = await post(freeFormMessage(binding, message));
    if (freeForm.ok || freeForm.failure.code !== WINDOW_CLOSED) return sent(freeForm);
    if (!template) throw windowClosedError(connection, freeForm.failure);
    const fallback = await template();
    if (!fallback.ok) throw windowClosedError(connection, freeForm.failure, fallback.failure);
    return sent(fallback);
  },

  async check(connection, context) {
    const { phoneNumberId } = connection.settings;
    const answer = await callGraph(connection, context, {
      method: 'GET',
      path: `${phoneNumberId}?fields=display_phone_number,verified_name`,
    });
    if (!answer.ok) return { ok: false, problem: checkProblem(connection, answer.failure) };
    const number = PhoneNumber.safeParse(answer.body).data;
    const name = number?.verified_name ? ` (${number.verified_name})` : '';
    return { ok: true, detail: `Number ${number?.display_phone_number ?? phoneNumberId}${name}` };
  },
});

/** Without a record of the contact's last message the window is taken as closed: a template always arrives. */
function windowOpen(message: ChannelMessage, now: number): boolean {
  return message.contactLastMessageAt !== undefined && now - message.contactLastMessageAt < WINDOW_MS;
}

function sent(answer: GraphAnswer): { messageId?: string } {
  if (!answer.ok) throw sendError(answer.failure);
  const messageId = SentMessages.safeParse(answer.body).data?.messages[0]?.id;
  return messageId ? { messageId } : {};
}
