import { z } from 'zod';
import {
  ChannelAuthError,
  type ChannelBinding,
  type ChannelEvent,
  type ChannelMessage,
  defineAdapter,
} from '../sdk/channel-adapter.ts';
import { defineChannel } from '../sdk/define-channel.ts';

/**
 * A channel for the engine's own tests: its "platform" posts `{ events }` as JSON, authenticated
 * by an `x-test-key` header (or the URL token), and what it is sent lands in `sent`. The
 * engine's handling of channel calls is tested through it, with no platform's quirks in the way.
 */
export const testChannel = defineChannel({
  kind: 'test-chat',
  label: 'Test chat',
  description: 'A chat platform for tests',
  icon: 'C',
  settings: z.object({ baseUrl: z.url().optional(), inboxName: z.string().default('main') }),
  secrets: z.object({ key: z.string().min(8, 'at least 8 characters') }),
  endpoints: [
    { path: 'hook', methods: ['POST'], description: 'Events', urlToken: true },
    { path: 'start/:workflowId', methods: ['POST'], description: 'Shortcuts', urlToken: true },
  ],
  actions: [],
});

/** An event as the test platform posts it: the binding's kind and connection are filled in by the adapter. */
export type TestChannelEvent =
  Exclude<ChannelEvent, { type: 'undelivered' }> extends infer Event
    ? Event extends { binding: ChannelBinding }
      ? Omit<Event, 'binding'> & { binding: Omit<ChannelBinding, 'kind' | 'connectionId'> }
      : never
    : never;

export interface SentToTestChannel {
  connectionId: string;
  binding: ChannelBinding;
  message: ChannelMessage;
}

export function testChannelAdapter(sent: SentToTestChannel[]) {
  return defineAdapter({
    definition: testChannel,
    receive(call, connection) {
      if (!call.urlTokenValid && call.headers['x-test-key'] !== connection.secrets.key) {
        throw new ChannelAuthError(401, 'Send x-test-key, or use the URL with the token.');
      }
      const body = JSON.parse(call.rawBody.toString('utf8')) as { events: TestChannelEvent[] };
      return {
        kind: 'events',
        events: body.events.map((event) => ({
          ...event,
          ...(event.type === 'shortcut' ? { workflowId: call.params.workflowId ?? '' } : {}),
          binding: { ...event.binding, kind: testChannel.kind, connectionId: connection.id },
        })) as ChannelEvent[],
      };
    },
    async send(connection, binding, message) {
      sent.push({ connectionId: connection.id, binding, message });
      return { messageId: `m${sent.length}` };
    },
    async check(connection) {
      return { ok: true, detail: `Inbox ${connection.settings.inboxName} answers.` };
    },
  });
}
