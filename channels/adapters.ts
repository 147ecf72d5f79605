import type { ChannelAdapterRegistry } from '@convoflow/engine';

/** Server-only: the adapters, by `kind`, one per definition in `index.ts`. The editor never imports this file. */
export const adapters = {} satisfies ChannelAdapterRegistry;
