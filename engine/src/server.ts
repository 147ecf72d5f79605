/** Server-only part of the engine: Redis stores, BullMQ runtime, Fastify API. */
export type { EngineApi } from './runtime/engine-api.ts';
