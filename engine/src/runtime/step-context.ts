import type { Logger } from 'pino';
import type { ChannelClient, ConnectionResolver, StepContext } from '../sdk/runner.ts';
import { renderJson, renderText, renderValue } from '../templating/render.ts';

export interface StepContextInput<Data>
  extends Pick<
    StepContext<Data>,
    | 'runId'
    | 'workflowId'
    | 'nodeId'
    | 'conversationId'
    | 'contactId'
    | 'data'
    | 'scope'
    | 'idempotencyKey'
    | 'mayHaveRunBefore'
    | 'state'
    | 'signal'
  > {
  channel: ChannelClient;
  connections: ConnectionResolver;
  allowPrivateNetwork: boolean;
  /** The step's logger (a getter: created only when the step logs). */
  logger: Logger | (() => Logger);
}

/** A step's context plus the warnings its execution produced, for the step log entry. */
export interface BuiltStepContext<Data> {
  ctx: StepContext<Data>;
  warnings: string[];
}

/** Binds rendering to the run's scope; a missing variable renders empty and becomes a warning of this step. */
export function buildStepContext<Data>(input: StepContextInput<Data>): BuiltStepContext<Data> {
  const warnings: string[] = [];
  const logger = () => (typeof input.logger === 'function' ? input.logger() : input.logger);
  const missing = new Set<string>();
  const onMissing = (path: string) => {
    if (missing.has(path)) return;
    missing.add(path);
    warnings.push(`$${path} is not set in this run; it was rendered empty.`);
  };
  const ctx: StepContext<Data> = {
    runId: input.runId,
    workflowId: input.workflowId,
    nodeId: input.nodeId,
    conversationId: input.conversationId,
    contactId: input.contactId,
    data: input.data,
    scope: input.scope,
    render: (template) => renderText(template, input.scope, onMissing),
    renderValue: (template) => renderValue(template, input.scope, onMissing),
    renderJson: (template) => renderJson(template, input.scope, onMissing),
    idempotencyKey: input.idempotencyKey,
    mayHaveRunBefore: input.mayHaveRunBefore,
    state: input.state,
    services: {
      channel: input.channel,
      connections: input.connections,
      allowPrivateNetwork: input.allowPrivateNetwork,
      now: () => Date.now(),
    },
    log: {
      info: (message) => logger().info(message),
      warn: (message) => {
        warnings.push(message);
        logger().warn(message);
      },
    },
    signal: input.signal,
  };
  return { ctx, warnings };
}
