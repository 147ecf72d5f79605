import type { Redis } from 'ioredis';
import { z } from 'zod';
import { ChannelBinding, type OutboundOption, type TappedOption } from '../sdk/channel-adapter.ts';
import type { RuntimeKeys } from './keys.ts';

/** A question's options outlive any wait: a tap days later is still read (and then found stale or not). */
const ASKED_TTL_S = 7 * 86_400;
/** The platform's webhook for our resolve comes within seconds; minutes of slack for its retries. */
const RESOLVED_TTL_S = 10 * 60;
/** A platform reports a message it could not deliver within minutes; a day of slack. */
const MESSAGE_TTL_S = 86_400;
/** Longer than the 24-hour window it serves. */
const SEEN_TTL_S = 25 * 3_600;
/** Longer than a step's retries can take. */
const SENT_TTL_S = 7 * 86_400;

const Asked = z.object({
  runId: z.string(),
  /** The engine's conversation id the question was asked in. */
  conversationId: z.string(),
  inbox: z.string().optional(),
  options: z.array(z.object({ id: z.string(), title: z.string(), value: z.string() })),
});
type Asked = z.infer<typeof Asked>;

/** What it takes to send a message again. */
const SentMessage = z.object({
  runId: z.string(),
  /** The run's wait number when it was sent: the wait it leads to is the next. */
  waitSeq: z.number().int(),
  text: z.string(),
  options: Asked.shape.options.optional(),
  idempotencyKey: z.string(),
  /** Already sent again once, as outside the window. */
  resent: z.boolean().optional(),
});
export type SentMessage = z.infer<typeof SentMessage>;

/** What a contact's message means for the question last asked of them. */
export type ReadReply =
  /** `text` is what the run gets: an option's value when the message was (or spells) one. */
  | { kind: 'reply'; text: string; askedIn: string | null }
  /** A tap on an option of a question that is no longer the one asked: not an answer. */
  | { kind: 'stale' };

/**
 * What the engine remembers per channel connection between a run's messages and the platform's
 * calls: the options of the last question asked of each contact (to turn a tap back into its
 * value, and to find the run when the platform files the reply under a new conversation), when
 * each contact last wrote, and which messages already went out.
 */
export class ChannelMemory {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RuntimeKeys,
  ) {}

  async rememberAsked(
    binding: ChannelBinding,
    asked: { runId: string; conversationId: string; options: readonly OutboundOption[] },
  ): Promise<void> {
    const value: Asked = {
      ...asked,
      options: [...asked.options],
      ...(binding.inbox === undefined ? {} : { inbox: binding.inbox }),
    };
    await this.redis.set(
      this.keys.channelAsked(binding.connectionId, binding.contact),
      JSON.stringify(value),
      'EX',
      ASKED_TTL_S,
    );
  }

  /**
   * Reads a message against the last question asked of its contact: a tapped id, value or title
   * (or a typed title) becomes the option's value; an id of an older question is stale. `askedIn`
   * is the conversation that question was asked in when the message came in the same inbox.
   */
  async readReply(binding: ChannelBinding, text: string, tapped: TappedOption | undefined): Promise<ReadReply> {
    const raw = await this.redis.get(this.keys.channelAsked(binding.connectionId, binding.contact));
    const parsed = raw === null ? null : Asked.safeParse(JSON.parse(raw));
    const asked = parsed?.success ? parsed.data : null;
    const options = asked?.options ?? [];
    const askedIn = asked && (asked.inbox === undefined || asked.inbox === binding.inbox) ? asked.conversationId : null;
    const byId = (id: string) => options.find((option) => option.id === id);
    if (tapped && 'id' in tapped) {
      const option = byId(tapped.id);
      if (option) return { kind: 'reply', text: option.value, askedIn };
      return isOptionId(tapped.id) ? { kind: 'stale' } : { kind: 'reply', text, askedIn };
    }
    if (tapped && 'value' in tapped) {
      const option = byId(tapped.value);
      if (option) return { kind: 'reply', text: option.value, askedIn };
      if (isOptionId(tapped.value)) return { kind: 'stale' };
      return { kind: 'reply', text: tapped.value, askedIn };
    }
    // A typed or tapped title; some platforms (Telegram through Chatwoot) send a tap as its id in the text.
    const said = (tapped && 'title' in tapped ? tapped.title : text).trim();
    const option = options.find((candidate) => candidate.title === said || candidate.id === said);
    return { kind: 'reply', text: option ? option.value : text, askedIn };
  }

  /** We resolve the conversation now: the platform's "resolved" call that follows is ours, not an agent's. */
  async rememberResolved(binding: ChannelBinding): Promise<void> {
    await this.redis.set(
      this.keys.channelResolved(binding.connectionId, binding.conversation),
      '1',
      'EX',
      RESOLVED_TTL_S,
    );
  }

  /** Whether a "resolved" call for this conversation follows our own resolve; answers once. */
  async resolvedByUs(binding: ChannelBinding): Promise<boolean> {
    return (await this.redis.getdel(this.keys.channelResolved(binding.connectionId, binding.conversation))) !== null;
  }

  /** A sent message, by the platform's id for it: a refusal that arrives later (a status) can send it again. */
  async rememberMessage(binding: ChannelBinding, messageId: string, sent: SentMessage): Promise<void> {
    const value = JSON.stringify({ ...sent, binding });
    await this.redis.set(this.keys.channelMessage(binding.connectionId, messageId), value, 'EX', MESSAGE_TTL_S);
  }

  /** The sent message of that id, once: a second refusal of the same message finds nothing. */
  async takeMessage(
    connectionId: string,
    messageId: string,
  ): Promise<(SentMessage & { binding: ChannelBinding }) | null> {
    const raw = await this.redis.getdel(this.keys.channelMessage(connectionId, messageId));
    if (raw === null) return null;
    const parsed = SentMessage.extend({ binding: ChannelBinding }).safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  }

  async rememberSeen(binding: ChannelBinding, at: number): Promise<void> {
    await this.redis.set(this.keys.channelSeen(binding.connectionId, binding.contact), String(at), 'EX', SEEN_TTL_S);
  }

  async lastSeen(binding: ChannelBinding): Promise<number | undefined> {
    const raw = await this.redis.get(this.keys.channelSeen(binding.connectionId, binding.contact));
    return raw === null ? undefined : Number(raw);
  }

  async wasSent(idempotencyKey: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.channelSent(idempotencyKey))) === 1;
  }

  async markSent(idempotencyKey: string): Promise<void> {
    await this.redis.set(this.keys.channelSent(idempotencyKey), '1', 'EX', SENT_TTL_S);
  }
}

/** The ids the engine gives options (`optionId`): a tap carrying one is ours, whichever question it was. */
const OPTION_ID = /^cf1:/;

function isOptionId(id: string): boolean {
  return OPTION_ID.test(id);
}

/** The id of option `index` of the question a run asks at its wait number `waitSeq`. */
export function optionId(runId: string, waitSeq: number, index: number): string {
  return `cf1:${runId}:${waitSeq}:${index}`;
}
