import type { ChannelBinding, ChannelMessage, OutboundOption } from '@convoflow/engine';

/**
 * How a run's message goes into a Chatwoot conversation: a question as `input_select` where the
 * inbox renders it (its `value` is the option's id, so a tap on an older question is told apart),
 * else as numbered text that a typed answer can follow.
 */

/** Chatwoot renders `input_select` natively on these inboxes (360dialog is a `Channel::Whatsapp` provider). */
const OPTION_CHANNELS = new Set(['Channel::WebWidget', 'Channel::Whatsapp', 'Channel::Api', 'Channel::Telegram']);

export function showsOptions(channel: string | undefined): boolean {
  return channel !== undefined && OPTION_CHANNELS.has(channel);
}

export interface MessageBody {
  content: string;
  private: false;
  content_type?: 'input_select';
  content_attributes?: { items: { title: string; value: string }[] };
}

export function messageBody(binding: ChannelBinding, message: ChannelMessage): MessageBody {
  const options = message.options ?? [];
  if (options.length === 0) return { content: message.text, private: false };
  if (binding.textOnly || !showsOptions(binding.channel) || !fitsNatively(binding.channel, options)) {
    return { content: numbered(message.text, options), private: false };
  }
  return {
    content: message.text,
    private: false,
    content_type: 'input_select',
    content_attributes: { items: options.map((option) => ({ title: option.title, value: option.id })) },
  };
}

/**
 * The platform behind the inbox refuses what it cannot show, after Chatwoot has already answered
 * 200: WhatsApp takes ≤ 3 reply buttons (titles ≤ 20) or ≤ 10 list rows (titles ≤ 24, ids ≤ 200),
 * Telegram a callback_data of ≤ 64 bytes. Such a question goes as text instead.
 */
function fitsNatively(channel: string | undefined, options: readonly OutboundOption[]): boolean {
  const length = (text: string) => [...text].length;
  if (channel === 'Channel::Whatsapp') {
    const titleMax = options.length <= 3 ? 20 : 24;
    return (
      options.length <= 10 && options.every((option) => length(option.title) <= titleMax && length(option.id) <= 200)
    );
  }
  if (channel === 'Channel::Telegram') return options.every((option) => Buffer.byteLength(option.id) <= 64);
  return true;
}

/**
 * One option a line. A rating's options are numbered by their value (the answer parser reads a
 * typed "4" as the value 4, and NPS starts at 0); other options by position, which it reads too.
 */
function numbered(text: string, options: readonly OutboundOption[]): string {
  const byValue = options.every((option) => /^-?\d+$/.test(option.value.trim()));
  const lines = options.map((option, index) => {
    const key = byValue ? option.value.trim() : String(index + 1);
    return option.title.trim() === key ? key : `${key}. ${option.title}`;
  });
  return `${text}\n\n${lines.join('\n')}`;
}
