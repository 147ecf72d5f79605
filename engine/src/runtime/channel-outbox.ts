import type { ConnectionCheckResult } from '../contract/connections.ts';
import { AppError } from '../errors.ts';
import { outboundFetch } from '../net/guarded-dispatcher.ts';
import type {
  ChannelAdapterRegistry,
  ChannelBinding,
  HelpdeskRequest,
  OutboundOption,
} from '../sdk/channel-adapter.ts';
import { StepError } from '../sdk/errors.ts';
import { type OutboundMessage, quickReplyValue } from '../sdk/runner.ts';
import type { ConnectionStore } from '../stores/connection-store.ts';
import { type ChannelMemory, optionId } from './channel-memory.ts';
import type { ChannelWebhook } from './channel-webhook.ts';
import { describeRequest } from './run-channel.ts';
import type { RunState } from './run-state.ts';

/** A resend happens while the platform waits for our answer to its status call. */
const RESEND_TIMEOUT_MS = 3_000;
/** A check is a person waiting on a button. */
const CHECK_TIMEOUT_MS = 10_000;

export interface ChannelOutboxDeps {
  /** Fails the run if it still waits at wait number `waitSeq` (a reply to a message that never arrived). */
  failWaitingRun(runId: string, waitSeq: number, reason: string): Promise<void>;
  webhook: ChannelWebhook;
  adapters: ChannelAdapterRegistry;
  connections: ConnectionStore;
  memory: ChannelMemory;
  allowPrivateNetwork: boolean;
}

/**
 * Where a run's messages leave: through the adapter of the channel connection the run came by,
 * else to `CHANNEL_WEBHOOK_URL` (the generic contract). A message that went out through a
 * channel is marked sent under its idempotency key, so a step executed again after a failure
 * further on does not send it twice.
 */
export class ChannelOutbox {
  private readonly fetch: typeof fetch;

  constructor(private readonly deps: ChannelOutboxDeps) {
    this.fetch = outboundFetch(deps.allowPrivateNetwork);
  }

  async send(run: RunState, message: OutboundMessage, idempotencyKey: string, signal: AbortSignal): Promise<void> {
    const binding = run.channel;
    if (!binding) {
      await this.deps.webhook.post(
        {
          runId: run.id,
          conversationId: run.conversationId,
          contactId: run.contactId,
          text: message.text,
          ...(message.quickReplies ? { quickReplies: message.quickReplies.map(quickReplyValue) } : {}),
        },
        idempotencyKey,
        signal,
      );
      return;
    }
    if (await this.deps.memory.wasSent(idempotencyKey)) return;
    const { adapter, resolved } = await this.channelOf(binding);
    const options = optionsOf(run, message);
    const contactLastMessageAt = await this.deps.memory.lastSeen(binding);
    const sent = { runId: run.id, text: message.text, ...(options ? { options } : {}), idempotencyKey };
    const { messageId } = await adapter.send(
      resolved.connection,
      binding,
      { ...sent, ...(contactLastMessageAt === undefined ? {} : { contactLastMessageAt }) },
      { fetch: this.fetch, signal, now: Date.now },
    );
    await this.deps.memory.markSent(idempotencyKey);
    if (messageId !== undefined) {
      await this.deps.memory.rememberMessage(binding, messageId, { ...sent, waitSeq: run.waitSeq });
    }
    if (options)
      await this.deps.memory.rememberAsked(binding, { runId: run.id, conversationId: run.conversationId, options });
  }

  /**
   * The platform refused a message after taking it (a later status). Refused because the
   * contact's window for free-form messages had closed, it goes again once as outside the window
   * (a template, for WhatsApp): `resent`. Otherwise, or refused again, the run waiting on it can
   * never be answered: `failed`, with the platform's words. `unknown`: too old, or not ours.
   */
  async undelivered(
    connectionId: string,
    refusal: { messageId: string; reason: string; windowClosed?: boolean },
  ): Promise<'resent' | 'failed' | 'unknown'> {
    const sent = await this.deps.memory.takeMessage(connectionId, refusal.messageId);
    if (!sent) return 'unknown';
    const { binding, resent, ...message } = sent;
    if (refusal.windowClosed === true && !resent) {
      const { adapter, resolved } = await this.channelOf(binding);
      const { messageId } = await adapter.send(
        resolved.connection,
        binding,
        { ...message, contactLastMessageAt: 0 },
        { fetch: this.fetch, signal: AbortSignal.timeout(RESEND_TIMEOUT_MS), now: Date.now },
      );
      if (messageId !== undefined)
        await this.deps.memory.rememberMessage(binding, messageId, { ...message, resent: true });
      return 'resent';
    }
    const label = this.deps.adapters[binding.kind]?.definition.label ?? binding.kind;
    await this.deps.failWaitingRun(
      sent.runId,
      sent.waitSeq + 1,
      `${label} could not deliver the message "${excerpt(sent.text)}": ${refusal.reason}`,
    );
    return 'failed';
  }

  /**
   * A helpdesk step on the run's conversation, through the adapter of the connection it came
   * by, once per idempotency key. A conversation resolved here is remembered, so the platform's
   * "resolved" webhook that follows does not start a survey of its own.
   */
  async act(run: RunState, request: HelpdeskRequest, idempotencyKey: string, signal: AbortSignal): Promise<void> {
    const binding = run.channel;
    const what = describeRequest(request);
    if (!binding) {
      throw new StepError(
        `This run did not come through a channel connection, so there is no helpdesk for ${what}; start it from a channel (Chatwoot) to use this step.`,
      );
    }
    const { adapter, resolved } = await this.channelOf(binding);
    if (!adapter.act || !adapter.definition.actions.includes(request.action)) {
      throw new StepError(`${adapter.definition.label} cannot do this: ${what} is not something its API offers.`);
    }
    if (await this.deps.memory.wasSent(idempotencyKey)) return;
    if (request.action === 'resolve') await this.deps.memory.rememberResolved(binding);
    await adapter.act(resolved.connection, binding, request, { fetch: this.fetch, signal, now: Date.now });
    await this.deps.memory.markSent(idempotencyKey);
  }

  /**
   * A run that came through a channel whose connection asks for it (`resolveAfterAnswer` in its
   * settings) ended: its conversation, reopened by the contact's answer, is resolved again.
   */
  async completed(run: RunState, signal: AbortSignal): Promise<void> {
    const binding = run.channel;
    if (!binding || run.test) return;
    const { adapter, resolved } = await this.channelOf(binding);
    if (resolved.connection.settings.resolveAfterAnswer !== true || !adapter.definition.actions.includes('resolve'))
      return;
    await this.act(run, { action: 'resolve' }, `${run.id}:resolve-after-answer`, signal);
  }

  /** The adapter and decrypted connection a binding names, or a step error saying it is gone. */
  private async channelOf(binding: ChannelBinding) {
    const adapter = Object.hasOwn(this.deps.adapters, binding.kind) ? this.deps.adapters[binding.kind] : undefined;
    const resolved = await this.deps.connections.resolveChannel(binding.connectionId, binding.kind);
    if (!adapter || !resolved) {
      throw new StepError(
        `The ${binding.kind} connection "${binding.connectionId}" this run came through no longer exists.`,
      );
    }
    return { adapter, resolved };
  }

  /** The platform's answer to a cheap authenticated call with a channel connection's credentials. */
  async check(connectionId: string): Promise<ConnectionCheckResult> {
    const summary = await this.deps.connections.get(connectionId);
    if (summary.type !== 'channel') {
      throw new AppError(
        'BAD_REQUEST',
        `Connection "${connectionId}" is a ${summary.type} connection; only channel connections can be checked.`,
      );
    }
    const adapter = Object.hasOwn(this.deps.adapters, summary.channel)
      ? this.deps.adapters[summary.channel]
      : undefined;
    const resolved = await this.deps.connections.resolveChannel(connectionId, summary.channel);
    if (!adapter || !resolved) return { ok: false, problem: `This server has no ${summary.channel} channel.` };
    return adapter.check(resolved.connection, {
      fetch: this.fetch,
      signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
      now: Date.now,
    });
  }
}

/** The message's quick replies as options with ids unique to this ask (`optionId`). */
function optionsOf(run: RunState, message: OutboundMessage): OutboundOption[] | undefined {
  return message.quickReplies?.map((reply, index) => ({
    id: optionId(run.id, run.waitSeq, index),
    title: typeof reply === 'string' ? reply : reply.title,
    value: quickReplyValue(reply),
  }));
}

function excerpt(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
