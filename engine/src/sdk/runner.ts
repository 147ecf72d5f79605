import type { z } from 'zod';
import type { HelpdeskRequest } from './channel-adapter.ts';
import type { NodeDefinition } from './define-node.ts';

/** JSON-safe values only: node state and variables are stored in Redis between steps. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export type Scope = Record<string, unknown>;

/** A reply offered as a button: its text, or a title shown for a value meant (⭐⭐⭐⭐ for 4). */
export type QuickReply = string | { title: string; value: string };

export interface OutboundMessage {
  text: string;
  /** Channels that have buttons or lists show them natively; the others, as numbered text. */
  quickReplies?: readonly QuickReply[];
}

export interface ChannelClient {
  /** Sends to the run's contact: through the channel connection it came by, else `CHANNEL_WEBHOOK_URL`, signed. */
  send(message: OutboundMessage): Promise<void>;
  /**
   * Acts on the run's conversation in its helpdesk (a private note, labels, an assignment,
   * resolving it). A `StepError` when the run did not come through a channel that can.
   */
  act(request: HelpdeskRequest): Promise<void>;
}

/** The value a quick reply stands for. */
export function quickReplyValue(reply: QuickReply): string {
  return typeof reply === 'string' ? reply : reply.value;
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
  /**
   * The provider refused the connection's credentials (an HTTP 401/403 about the key, a key
   * that cannot sign): the editor shows it on the connection until a success clears it. `reason`
   * is shown to operators: words, never a secret. Never throws.
   */
  reportRefused(id: string, reason: string): Promise<void>;
  /** The provider accepted the credentials: clears a refusal. Never throws. */
  reportAccepted(id: string): Promise<void>;
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

export interface StepContext<Data, State = Json | null> {
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
  /** The node's own state saved with its last pause (e.g. retries used); null at first. A runner
   * with a `state` schema gets it parsed, and null when it does not parse. */
  state: State;
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

/**
 * What a step exchanged with the outside, shown per step in the run's detail: the HTTP request
 * as sent and the response, the row written and Google's answer, the message sent and the reply.
 * The step masks secrets in it (`maskJson`); the engine keeps at most a few KB of each
 * (`capStepData`). Omit both when there is nothing to show: the log of a waiting run stays small.
 */
export interface StepData {
  sent?: Json;
  received?: Json;
}

export type StepOutcome<State extends Json = Json> =
  /** Leave by `exit` (omit for a single-exit node), adding `variables` to the scope. */
  | ({ type: 'exit'; exit?: string; variables?: Record<string, Json>; note?: string; survey?: SurveySignal } & StepData)
  /** Pause until a reply, a timeout or the end of a delay; `state` comes back on resume. */
  | ({ type: 'pause'; wait: Wait; state?: State; note?: string; survey?: SurveySignal } & StepData);

export type ResumeEvent =
  | { kind: 'reply'; text: string; receivedAt: number }
  /** The wait's deadline passed: a reply's time limit, or the end of a Wait's delay. */
  | { kind: 'deadline' };

export interface NodeRunner<Data> {
  run(ctx: StepContext<Data>): Promise<StepOutcome>;
  /** Only for nodes that pause. */
  resume?(ctx: StepContext<Data>, event: ResumeEvent): Promise<StepOutcome>;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds runners of every data type
export type RunnerRegistry = Readonly<Record<string, NodeRunner<any>>>;

type DataOf<Def> = Def extends NodeDefinition<string, infer S extends z.ZodType> ? z.output<S> : never;

export type RunnerFor<Def> = NodeRunner<DataOf<Def>>;

/** One runner per definition, typed by it: a registry of runners missing a node type does not compile. */
export type RunnersFor<Definitions> = { readonly [Type in keyof Definitions]: RunnerFor<Definitions[Type]> };

/** A runner as a node type writes it: `state` types what it saves when it pauses. */
export interface RunnerSpec<Data, State extends Json> {
  /** The node's own state between pauses, parsed once before `run`/`resume` see it as
   * `ctx.state`: null at first, and when what was saved does not parse (an older shape). */
  state?: z.ZodType<State>;
  run(ctx: StepContext<Data, State | null>): Promise<StepOutcome<State>>;
  /** Only for nodes that pause. */
  resume?(ctx: StepContext<Data, State | null>, event: ResumeEvent): Promise<StepOutcome<State>>;
}

/** Pairs a definition with its server-side runner, typed by the definition's schema. */
export function defineRunner<Def extends NodeDefinition, State extends Json = Json>(
  _definition: Def,
  spec: RunnerSpec<DataOf<Def>, State>,
): RunnerFor<Def> {
  const { state: schema, run, resume } = spec;
  // Without a schema, `State` is plain `Json` and the spec already is the runner.
  if (!schema) return spec as RunnerFor<Def>;
  const parsed = (ctx: StepContext<DataOf<Def>>): StepContext<DataOf<Def>, State | null> => {
    const state = schema.safeParse(ctx.state);
    return { ...ctx, state: state.success ? state.data : null };
  };
  return {
    run: (ctx) => run(parsed(ctx)),
    ...(resume ? { resume: (ctx, event) => resume(parsed(ctx), event) } : {}),
  };
}

/**
 * The step of a trigger that does nothing itself: the engine filled the trigger's variables
 * when it enrolled the run, so it leaves by its one exit. Such a trigger needs no `run.ts`.
 */
export const triggerRunner: NodeRunner<unknown> = {
  run: async () => ({ type: 'exit' }),
};
