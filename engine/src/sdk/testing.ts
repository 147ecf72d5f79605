import { renderJson, renderText, renderValue } from '../templating/render.ts';
import type { HelpdeskRequest } from './channel-adapter.ts';
import { ConnectionNotFoundError } from './errors.ts';
import type { Connection, Json, OutboundMessage, Scope, StepContext, StepServices } from './runner.ts';

export interface TestStepContextOptions {
  /** The run's variables the step sees; `{}` by default. */
  scope?: Scope;
  /** The node's state from its last pause; null by default (first execution). */
  state?: Json | null;
  /** Replaces the recording channel, the connections map, the clock, private-network access. */
  services?: Partial<StepServices>;
  /** Connections the default resolver returns by id; others raise `ConnectionNotFoundError`. */
  connections?: Readonly<Record<string, Connection>>;
  mayHaveRunBefore?: boolean;
  runId?: string;
  workflowId?: string;
  nodeId?: string;
  conversationId?: string;
  contactId?: string;
  /** Lets a test abort the step; a signal that never aborts by default. */
  signal?: AbortSignal;
}

export type TestStepContext<Data> = StepContext<Data> & {
  /** Every `log.warn`, including one per missing variable a render met. */
  warnings: string[];
  /** Every `log.info`. */
  infos: string[];
  /** What the step sent through the default channel, in order. */
  sent: OutboundMessage[];
  /** What the step asked of the helpdesk through the default channel, in order. */
  acted: HelpdeskRequest[];
  /** Connections the step reported refused, by id, with the reason; a later `reportAccepted` removes one. */
  refusedConnections: Map<string, string>;
};

/**
 * A real `StepContext` for a node's unit tests: the engine's own templating bound to
 * `scope`, a channel that records, connections from a map. Browser-safe, no I/O.
 */
export function testStepContext<Data>(data: Data, options: TestStepContextOptions = {}): TestStepContext<Data> {
  const scope = options.scope ?? {};
  const runId = options.runId ?? 'run-test';
  const nodeId = options.nodeId ?? 'node-test';
  const warnings: string[] = [];
  const infos: string[] = [];
  const sent: OutboundMessage[] = [];
  const acted: HelpdeskRequest[] = [];
  const refusedConnections = new Map<string, string>();
  const connections = options.connections ?? {};
  const onMissing = (path: string) => warnings.push(`Variable "$${path}" is not set; it was rendered empty.`);

  const services: StepServices = {
    channel: {
      async send(message) {
        sent.push(message);
      },
      async act(request) {
        acted.push(request);
      },
    },
    connections: {
      async get(id) {
        const connection = Object.hasOwn(connections, id) ? connections[id] : undefined;
        if (!connection) throw new ConnectionNotFoundError(id);
        return connection;
      },
      async reportRefused(id, reason) {
        refusedConnections.set(id, reason);
      },
      async reportAccepted(id) {
        refusedConnections.delete(id);
      },
    },
    allowPrivateNetwork: false,
    now: () => Date.now(),
    ...options.services,
  };

  return {
    runId,
    workflowId: options.workflowId ?? 'workflow-test',
    nodeId,
    conversationId: options.conversationId ?? 'conversation-test',
    contactId: options.contactId ?? 'contact-test',
    data,
    scope,
    render: (template) => renderText(template, scope, onMissing),
    renderValue: (template) => renderValue(template, scope, onMissing),
    renderJson: (template) => renderJson(template, scope, onMissing),
    idempotencyKey: `${runId}:${nodeId}:0`,
    mayHaveRunBefore: options.mayHaveRunBefore ?? false,
    state: options.state ?? null,
    services,
    log: {
      info: (message) => infos.push(message),
      warn: (message) => warnings.push(message),
    },
    signal: options.signal ?? new AbortController().signal,
    warnings,
    infos,
    sent,
    acted,
    refusedConnections,
  };
}
