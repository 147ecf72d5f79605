import type { ChannelRegistry } from '@convoflow/engine';
import { chatwoot } from './chatwoot/definition.ts';
import { whatsapp } from './whatsapp/definition.ts';

/**
 * Every channel, by `kind`. Browser-safe: the editor imports this, so only definitions belong
 * here, never adapter code. Adding a channel = a folder plus one line here and one in `adapters.ts`.
 */
export const channels = { chatwoot, whatsapp } satisfies ChannelRegistry;

export type ChannelKind = keyof typeof channels;
