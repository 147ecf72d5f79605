import type { ChannelBinding, ChannelMessage, OutboundOption } from '@convoflow/engine';

/**
 * The bodies of `POST /{phone_number_id}/messages`, within Meta's limits: reply buttons for up
 * to 3 options, a list for up to 10, text beyond (NPS 0–10 fits neither), a template outside
 * the 24-hour window.
 */

const MAX_BUTTONS = 3;
const MAX_ROWS = 10;
const BUTTON_TITLE = 20;
const ROW_TITLE = 24;
const LIST_BUTTON = 'Choose';
const INTERACTIVE_BODY = 1024;
const TEXT_BODY = 4096;

export function freeFormMessage(binding: ChannelBinding, message: ChannelMessage) {
  const options = message.options ?? [];
  if (options.length > 0 && options.length <= MAX_BUTTONS) {
    return interactive(binding, message, 'button', {
      buttons: options.map((option) => ({
        type: 'reply',
        reply: { id: option.id, title: cut(option.title, BUTTON_TITLE) },
      })),
    });
  }
  if (options.length > MAX_BUTTONS && options.length <= MAX_ROWS) {
    return interactive(binding, message, 'list', {
      button: LIST_BUTTON,
      sections: [{ rows: options.map((option) => ({ id: option.id, title: cut(option.title, ROW_TITLE) })) }],
    });
  }
  return envelope(binding, message, { type: 'text', text: { body: textWithHint(message.text, options) } });
}

/**
 * The approved template with one quick-reply button per option, whose payload is the option's
 * id, so a tap comes back as that option. No body parameters: the template's text is what Meta
 * approved, and the question's own text cannot be put into it.
 */
export function templateMessage(
  binding: ChannelBinding,
  message: ChannelMessage,
  template: { name: string; language: string },
) {
  // A template holds at most 10 quick replies: more options (NPS 0–10) go with none, and the typed number is read.
  const options = message.options ?? [];
  const buttons = (options.length > MAX_ROWS ? [] : options).map((option, index) => ({
    type: 'button',
    sub_type: 'quick_reply',
    index: String(index),
    parameters: [{ type: 'payload', payload: option.id }],
  }));
  return envelope(binding, message, {
    type: 'template',
    template: {
      name: template.name,
      language: { code: template.language },
      ...(buttons.length > 0 ? { components: buttons } : {}),
    },
  });
}

function interactive(
  binding: ChannelBinding,
  message: ChannelMessage,
  type: 'button' | 'list',
  action: Record<string, unknown>,
) {
  return envelope(binding, message, {
    type: 'interactive',
    interactive: { type, body: { text: cut(message.text, INTERACTIVE_BODY) }, action },
  });
}

/** `biz_opaque_callback_data` comes back in the message's statuses, so a `failed` one names its run. */
function envelope(binding: ChannelBinding, message: ChannelMessage, content: Record<string, unknown>) {
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: binding.contact,
    biz_opaque_callback_data: message.runId,
    ...content,
  };
}

/** More options than a list holds go as text, with how to answer: the answer parser reads the number. */
function textWithHint(text: string, options: readonly OutboundOption[]): string {
  const first = options[0];
  const last = options.at(-1);
  if (!first || !last || options.length <= MAX_ROWS) return cut(text, TEXT_BODY);
  const hint = `\n\nReply with a number from ${first.value} to ${last.value}`;
  return cut(text, TEXT_BODY - hint.length) + hint;
}

/**
 * At most `max` characters, ending in … when cut. Counted in UTF-16 units without splitting a
 * character, so the result fits whether Meta counts units or characters.
 */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = '';
  for (const character of text) {
    if (kept.length + character.length > max - 1) break;
    kept += character;
  }
  return `${kept}…`;
}
