import { timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import type { ShortcutRequest } from '../contract/events.ts';
import { AppError } from '../errors.ts';
import {
  type ChannelAdapter,
  type ChannelAdapterRegistry,
  ChannelAuthError,
  type ChannelBinding,
  type ChannelEvent,
  type InboundCall,
} from '../sdk/channel-adapter.ts';
import type { ChannelEndpoint } from '../sdk/define-channel.ts';
import type { ConnectionStore } from '../stores/connection-store.ts';
import type { ChannelMemory } from './channel-memory.ts';
import type { ChannelOutbox } from './channel-outbox.ts';
import type { InboundRouter } from './inbound.ts';
import type { Triggers } from './triggers.ts';

/** A platform's call as the HTTP layer hands it over: the endpoint is still the raw rest of the path. */
export interface ChannelCall extends Omit<InboundCall, 'endpoint' | 'params' | 'urlTokenValid'> {
  kind: string;
  connectionId: string;
  /** The path below `/api/channels/<kind>/<connectionId>/`, e.g. `shortcut/csat`. */
  path: string;
}

/** What to answer the platform. */
export interface ChannelAnswer {
  status: number;
  body: string;
  contentType: string;
}

export interface ChannelReceiverDeps {
  adapters: ChannelAdapterRegistry;
  connections: ConnectionStore;
  memory: ChannelMemory;
  outbox: ChannelOutbox;
  triggers: Triggers;
  inbound: InboundRouter;
  logger: Logger;
}

/**
 * Takes the calls chat platforms make to a channel connection's URLs: finds the connection (the
 * path says which, never the payload), lets its adapter verify and read the call, then hands
 * each event to enrolment or reply routing under an id namespaced by connection. Everything
 * here is a few Redis writes, so the platform gets its answer at once; the runs' steps (the
 * question, the answer's follow-ups) happen after, in the workers.
 */
export class ChannelReceiver {
  constructor(private readonly deps: ChannelReceiverDeps) {}

  async receive(call: ChannelCall): Promise<ChannelAnswer> {
    const adapter = Object.hasOwn(this.deps.adapters, call.kind) ? this.deps.adapters[call.kind] : undefined;
    // A path this channel does not have is a 404 before any connection is looked up, and a missing
    // connection answers as a call that is not its platform's: a caller cannot probe which ids exist.
    const matched = adapter ? matchEndpoint(adapter.definition.endpoints, call.method, call.path) : null;
    if (adapter && !matched) {
      throw new AppError('NOT_FOUND', `No route ${call.method} /api/channels/${call.kind}/<connection>/${call.path}`);
    }
    const resolved = adapter ? await this.deps.connections.resolveChannel(call.connectionId, call.kind) : null;
    if (!adapter || !matched || !resolved) {
      throw new AppError('UNAUTHORIZED', 'No channel connection takes calls at this URL.');
    }
    const token = call.query.token;
    const urlTokenValid =
      matched.endpoint.urlToken === true && token !== undefined && sameText(token, resolved.urlToken);
    const result = read(adapter, resolved.connection, {
      method: call.method,
      endpoint: matched.endpoint.path,
      params: matched.params,
      query: call.query,
      headers: call.headers,
      rawBody: call.rawBody,
      receivedAt: call.receivedAt,
      urlTokenValid,
    });
    if (result.kind === 'answer') {
      return { status: result.status, body: result.body, contentType: result.contentType ?? 'text/plain' };
    }
    const outcomes = [];
    for (const event of result.events) outcomes.push(await this.handle(event, call.connectionId));
    return { status: 200, body: JSON.stringify({ received: outcomes }), contentType: 'application/json' };
  }

  /**
   * A shortcut sent through the API for a contact of a channel connection: the run is bound to
   * that connection, under the same namespaced ids the platform's own calls get.
   */
  async shortcut(workflowId: string, request: ShortcutRequest & { connection: string }): Promise<string> {
    const summary = await this.deps.connections.get(request.connection).catch(() => null);
    if (summary?.type !== 'channel') {
      throw new AppError(
        'BAD_REQUEST',
        `"${request.connection}" is not a channel connection: connection takes the id of one (GET /api/connections).`,
      );
    }
    const { connection: _, ...rest } = request;
    const binding: ChannelBinding = {
      kind: summary.channel,
      connectionId: summary.id,
      conversation: request.conversationId,
      contact: request.contact.id,
    };
    return this.deps.triggers.shortcut(
      workflowId,
      {
        ...rest,
        ...(request.eventId === undefined
          ? {}
          : { eventId: `${binding.kind}:${binding.connectionId}:${request.eventId}` }),
        conversationId: namespaced(binding, binding.conversation),
        contact: { ...request.contact, id: namespaced(binding, binding.contact) },
      },
      binding,
    );
  }

  private async handle(event: ChannelEvent, connectionId: string): Promise<{ type: string; runs: string[] }> {
    if (event.type === 'undelivered') {
      const outcome = await this.deps.outbox.undelivered(connectionId, event);
      this.deps.logger.warn(
        { runId: event.runId, messageId: event.messageId, code: event.code, reason: event.reason, outcome },
        'the platform could not deliver a message',
      );
      return { type: `undelivered-${outcome}`, runs: event.runId ? [event.runId] : [] };
    }
    const { binding } = event;
    const eventId = `${binding.kind}:${binding.connectionId}:${event.deliveryId}`;
    const conversationId = namespaced(binding, binding.conversation);
    const contact = { ...event.contact, id: namespaced(binding, event.contact.id) };
    switch (event.type) {
      case 'closed': {
        if (await this.deps.memory.resolvedByUs(binding)) return { type: 'resolved-by-us', runs: [] };
        const { channel, category, closedBy, labels } = event.conversation;
        const runs = await this.deps.triggers.conversationClosed(
          {
            eventId,
            conversation: {
              id: conversationId,
              ...(channel === undefined ? {} : { channel }),
              ...((category ?? labels?.[0]) === undefined ? {} : { category: category ?? labels?.[0] }),
              ...(closedBy === undefined ? {} : { closedBy }),
              connection: binding.connectionId,
              ...(binding.inbox === undefined ? {} : { inbox: binding.inbox }),
            },
            contact,
            ...(event.assignee ? { assignee: event.assignee } : {}),
          },
          binding,
        );
        return { type: event.type, runs };
      }
      case 'shortcut': {
        const runId = await this.deps.triggers.shortcut(
          event.workflowId,
          {
            eventId,
            conversationId,
            contact,
            triggeredBy: event.triggeredBy ?? { id: `${binding.kind}:${binding.connectionId}` },
          },
          binding,
        );
        return { type: event.type, runs: [runId] };
      }
      case 'message': {
        await this.deps.memory.rememberSeen(binding, Date.now());
        const reply = await this.deps.memory.readReply(binding, event.text, event.tapped);
        if (reply.kind === 'stale') return { type: 'stale-tap', runs: [] };
        const runId = await this.deps.inbound.route(
          { eventId, conversationId, contactId: contact.id, text: reply.text },
          undefined,
          reply.askedIn,
        );
        return { type: event.type, runs: runId ? [runId] : [] };
      }
    }
  }
}

/** The engine's id of a platform's conversation or contact: unique across connections. */
function namespaced(binding: ChannelBinding, id: string): string {
  return `${binding.kind}:${binding.connectionId}:${id}`;
}

function read(
  adapter: ChannelAdapter,
  connection: Parameters<ChannelAdapter['receive']>[1],
  call: InboundCall,
): ReturnType<ChannelAdapter['receive']> {
  try {
    return adapter.receive(call, connection);
  } catch (error) {
    if (error instanceof ChannelAuthError) {
      throw new AppError(error.status === 403 ? 'FORBIDDEN' : 'UNAUTHORIZED', error.message);
    }
    throw new AppError(
      'BAD_REQUEST',
      `The call could not be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** The endpoint a method and path name, with its path parameters (`shortcut/:workflowId`). */
function matchEndpoint(
  endpoints: readonly ChannelEndpoint[],
  method: 'GET' | 'POST',
  path: string,
): { endpoint: ChannelEndpoint; params: Record<string, string> } | null {
  const segments = path.split('/').filter((segment) => segment !== '');
  for (const endpoint of endpoints) {
    if (!endpoint.methods.includes(method)) continue;
    const pattern = endpoint.path.split('/').filter((segment) => segment !== '');
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = pattern.every((part, index) => {
      const segment = segments[index] ?? '';
      if (part.startsWith(':')) {
        params[part.slice(1)] = segment;
        return segment !== '';
      }
      return part === segment;
    });
    if (matches) return { endpoint, params };
  }
  return null;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
