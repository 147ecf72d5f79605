/** Server-only part of the engine: Redis stores, BullMQ runtime, Fastify API. */

export type { OwnerStart } from './accounts/user-accounts.ts';
export { buildApp, DEFAULT_BODY_LIMIT } from './http/app.ts';
export type { AppOptions } from './http/app-options.ts';
export { createMetrics, type Metrics } from './metrics.ts';
export { createRuntime } from './runtime/create-runtime.ts';
export type { EngineApi } from './runtime/engine-api.ts';
export type { Runtime, RuntimeOptions, WorkerHandle, WorkerOptions } from './runtime/options.ts';
export { checkSignature, SIGNATURE_WINDOW_S, signatureHeaders } from './signing/webhook-signature.ts';
export { AnalyticsStore, type SurveyFacts } from './stores/analytics-store.ts';
export { ConnectionStore } from './stores/connection-store.ts';
export { DecryptionError, decrypt, encrypt } from './stores/crypto.ts';
export { type PublishedWorkflow, type Validate, WorkflowStore } from './stores/workflow-store.ts';
