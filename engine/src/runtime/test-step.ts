import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { StepTestResult } from '../contract/runs.ts';
import { AppError, notFound } from '../errors.ts';
import { DEFAULT_EXIT, type NodeRegistry } from '../sdk/define-node.ts';
import type { ConnectionResolver, RunnerRegistry } from '../sdk/runner.ts';
import { definitionOf, runnerOf } from './node-lookup.ts';
import { buildStepContext } from './step-context.ts';

const TEST_STEP_TIMEOUT_MS = 60_000;

/**
 * Runs one action step outside any run, with `variables` as its scope (the HTTP node's
 * "send test request"). Nothing is sent to contacts; triggers and pausing nodes are refused.
 */
export async function testStep(
  deps: {
    definitions: NodeRegistry;
    runners: RunnerRegistry;
    connections: ConnectionResolver;
    allowPrivateNetwork: boolean;
    logger: Logger;
  },
  nodeType: string,
  data: Record<string, unknown>,
  variables: Record<string, unknown>,
): Promise<StepTestResult> {
  const definition = definitionOf(deps.definitions, nodeType);
  if (!definition) throw notFound('Node type', nodeType);
  const runner = runnerOf(deps.runners, nodeType);
  if (definition.trigger || definition.pauses || !runner) {
    throw new AppError('BAD_REQUEST', `Node type "${nodeType}" cannot be tested on its own: only action nodes can.`);
  }
  const parsed = definition.schema.safeParse(data);
  if (!parsed.success) {
    throw new AppError('BAD_REQUEST', `The node's configuration is invalid.`, {
      issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  const runId = `test-step-${randomUUID()}`;
  const { ctx } = buildStepContext({
    runId,
    workflowId: 'test-step',
    nodeId: nodeType,
    conversationId: 'test-step',
    contactId: 'test-step',
    data: parsed.data,
    scope: variables,
    idempotencyKey: `${runId}:${nodeType}:1`,
    mayHaveRunBefore: false,
    state: null,
    channel: { send: async () => {}, act: async () => {} },
    connections: deps.connections,
    allowPrivateNetwork: deps.allowPrivateNetwork,
    logger: deps.logger.child({ testStep: nodeType }),
    signal: AbortSignal.timeout(TEST_STEP_TIMEOUT_MS),
  });
  const startedAt = Date.now();
  try {
    const outcome = await runner.run(ctx);
    const durationMs = Date.now() - startedAt;
    if (outcome.type === 'pause') return { exit: null, variables: {}, durationMs, error: 'The step paused.' };
    return { exit: outcome.exit ?? DEFAULT_EXIT, variables: outcome.variables ?? {}, durationMs };
  } catch (error) {
    return {
      exit: null,
      variables: {},
      durationMs: Date.now() - startedAt,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}
