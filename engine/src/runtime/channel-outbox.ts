import type { ConnectionCheckResult } from '../contract/connections.ts';
import { AppError } from '../errors.ts';
import { outboundFetch } from '../net/guarded-dispatcher.ts';
import type { ChannelAdapterRegistry, OutboundOption } from '../sdk/channel-adapter.ts';
import { StepError } from '../sdk/errors.ts';
import { type OutboundMessage, quickReplyValue } from '../sdk/runner.ts';
import type { ConnectionStore } from '../stores/connection-store.ts';
import { type ChannelMemory, optionId } from './channel-memory.ts';
import type { ChannelWebhook } from './channel-webhook.ts';
import type { RunState } from './run-state.ts';

/** A check is a person waiting on a button. */
const CHECK_TIMEOUT_MS = 10_000;

export interface ChannelOutboxDeps {
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
    const adapter = Object.hasOwn(this.deps.adapters, binding.kind) ? this.deps.adapters[binding.kind] : undefined;
    const resolved = await this.deps.connections.resolveChannel(binding.connectionId, binding.kind);
    if (!adapter || !resolved) {
      throw new StepError(
        `The ${binding.kind} connection "${binding.connectionId}" this run came through no longer exists; the message could not be sent.`,
      );
    }
    const options = optionsOf(run, message);
    const contactLastMessageAt = await this.deps.memory.lastSeen(binding);
    await adapter.send(
      resolved.connection,
      binding,
      {
        runId: run.id,
        text: message.text,
        ...(options ? { options } : {}),
        idempotencyKey,
        ...(contactLastMessageAt === undefined ? {} : { contactLastMessageAt }),
      },
      { fetch: this.fetch, signal, now: Date.now },
    );
    await this.deps.memory.markSent(idempotencyKey);
    if (options)
      await this.deps.memory.rememberAsked(binding, { runId: run.id, conversationId: run.conversationId, options });
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
