import type { z } from 'zod';
import type { NodeDefinition } from './define-node.ts';

/** JSON-safe values only: node state and variables are stored in Redis between steps. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export type Scope = Record<string, unknown>;

export interface OutboundMessage {
  text: string;
  quickReplies?: string[];
}

export interface ChannelClient {
  /** Sends to the run's contact through `CHANNEL_WEBHOOK_URL`, signed. */
  send(message: OutboundMessage): Promise<void>;
}

export interface GoogleConnection {
  id: string;
  type: 'google';
  name: string;
  serviceAccountKey: { client_email: string; private_key: string; [key: string]: unknown };
  apiEndpoint?: string;
}
export interface SecretConnection {
  id: string;
  type: 'secret';
  name: string;
  /** Decrypted; a step that uses it masks it in everything it reports (`maskSecrets`). */
  value: string;
}
export type Connection = GoogleConnection | SecretConnection;

export interface ConnectionResolver {
  /** Decrypted connection, or a `ConnectionNotFoundError`. */
  get(id: string): Promise<Connection>;
}

export interface StepLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface StepServices {
  channel: ChannelClient;
  connections: ConnectionResolver;
  /** `HTTP_ALLOW_PRIVATE`: pass it to `outboundDispatcher`/`outboundFetch` (`@convoflow/engine/net`) for every outgoing call. */
  allowPrivateNetwork: boolean;
  now(): number;
}

export interface StepContext<Data> {
  runId: string;
  workflowId: string;
  nodeId: string;
  conversationId: string;
  contactId: string;
  /** The node's config as its schema parsed it; templates inside are not yet rendered. */
  data: Data;
  /** Read-only view of the run's variables. */
  scope: Readonly<Scope>;
  /** `$var` interpolation into text; a missing variable renders empty and is logged. */
  render(template: string): string;
  /** Like `render`, but a template that is exactly one variable keeps that value's type. */
  renderValue(template: string): unknown;
  /** Interpolation inside a JSON document: strings are escaped, the result stays valid JSON. */
  renderJson(template: string): string;
  /** Stable across re-executions of this step: `runId:nodeId:family`. */
  idempotencyKey: string;
  /** True when an earlier execution of this very step started and never recorded an outcome
   * (its worker died): a non-idempotent side effect may already have happened. */
  mayHaveRunBefore: boolean;
  /** The node's own state saved with its last pause (e.g. retries used); null at first. */
  state: Json | null;
  services: StepServices;
  log: StepLogger;
  signal: AbortSignal;
}

export type Wait = { kind: 'reply'; timeoutMs: number | null } | { kind: 'delay'; ms: number };

/**
 * What a survey question tells the analytics: that it was asked, and the answer it got.
 * The engine adds the run's facts (workflow, node, day, agent, channel) and counts it.
 */
export type SurveySignal =
  | { kind: 'asked'; metric: 'csat' | 'nps' | 'ces'; scale: { min: number; max: number } }
  | { kind: 'answered'; metric: 'csat' | 'nps' | 'ces'; scale: { min: number; max: number }; value: number };

export type StepOutcome =
  /** Leave by `exit` (omit for a single-exit node), adding `variables` to the scope. */
  | { type: 'exit'; exit?: string; variables?: Record<string, Json>; note?: string; survey?: SurveySignal }
  /** Pause until a reply, a timeout or the end of a delay; `state` comes back on resume. */
  | { type: 'pause'; wait: Wait; state?: Json; note?: string; survey?: SurveySignal };

export type ResumeEvent =
  | { kind: 'reply'; text: string; receivedAt: number }
  /** The reply wait's timeout, or the end of a delay. */
  | { kind: 'timeout' };

export interface NodeRunner<Data> {
  run(ctx: StepContext<Data>): Promise<StepOutcome>;
  /** Only for nodes that pause. */
  resume?(ctx: StepContext<Data>, event: ResumeEvent): Promise<StepOutcome>;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds runners of every data type
export type RunnerRegistry = Readonly<Record<string, NodeRunner<any>>>;

export type RunnerFor<Def> =
  Def extends NodeDefinition<string, infer S extends z.ZodType> ? NodeRunner<z.output<S>> : never;

/** Pairs a definition with its server-side runner, typed by the definition's schema. */
export function defineRunner<Def extends NodeDefinition>(_definition: Def, runner: RunnerFor<Def>): RunnerFor<Def> {
  return runner;
}
