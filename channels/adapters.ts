import type { ChannelAdapterRegistry } from '@convoflow/engine';
import { chatwootAdapter } from './chatwoot/adapter.ts';
import { whatsappAdapter } from './whatsapp/adapter.ts';

/** Server-only: the adapters, by `kind`, one per definition in `index.ts`. The editor never imports this file. */
export const adapters = { chatwoot: chatwootAdapter, whatsapp: whatsappAdapter } satisfies ChannelAdapterRegistry;
