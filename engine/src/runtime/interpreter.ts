import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { StepLogEntry } from '../contract/runs.ts';
import type { Metrics } from '../metrics.ts';
import { DEFAULT_EXIT, type NodeRegistry } from '../sdk/define-node.ts';
import { StepError } from '../sdk/errors.ts';
import type { ConnectionResolver, RunnerRegistry, StepOutcome, SurveySignal } from '../sdk/runner.ts';
import type { Workflow, WorkflowNode } from '../workflow/schema.ts';
import type { ChannelWebhook } from './channel-client.ts';
import { InboxEntry } from './inbox.ts';
import { InfrastructureError } from './infrastructure-error.ts';
import type { RuntimeKeys } from './keys.ts';
import type { Command, HeldLock } from './locks.ts';
import { definitionOf, runnerOf } from './registry.ts';
import { runChannel } from './run-channel.ts';
import type { InflightStep, RunState, StoredResume } from './run-state.ts';
import type { RunStore } from './run-store.ts';
import { buildStepContext } from './step-context.ts';
import { type SurveyFacts, surveyFacts } from './survey-facts.ts';
import { timerMember } from './timers.ts';

export interface SurveyRecorder {
  record(signal: SurveySignal, facts: SurveyFacts): Promise<void>;
}

export interface InterpreterDeps {
  redis: Redis;
  keys: RuntimeKeys;
  store: RunStore;
  definitions: NodeRegistry;
  runners: RunnerRegistry;
  loadWorkflow(run: RunState): Promise<Workflow>;
  channel: ChannelWebhook;
  connections: ConnectionResolver;
  analytics: SurveyRecorder;
  allowPrivateNetwork: boolean;
  logger: Logger;
  metrics: Metrics;
}

/** How the job driving the run was invoked: the last attempt turns a retryable failure into a failed run. */
export interface JobAttempt {
  finalAttempt: boolean;
  signal: AbortSignal;
}

interface ExecutedStep {
  node: WorkflowNode;
  startedAt: number;
  warnings: string[];
}

/** Thrown so BullMQ retries the job with backoff; the step's failure is already in the log. */
export class RetryStepError extends Error {
  override readonly name = 'RetryStepError';
}

const nodeTrigger = (node: WorkflowNode, definitions: NodeRegistry) =>
  definitionOf(definitions, node.type)?.trigger !== undefined;

/**
 * Advances one run while holding its lock. Every transition is one fenced atomic write: a step
 * is marked started before it executes, and its outcome is written together with the run's new
 * position, so a re-executed job continues from the last recorded position.
 */
export class Interpreter {
  constructor(private readonly deps: InterpreterDeps) {}

  /** `start` job: only a queued run begins; anything else was begun already. */
  async begin(run: RunState, lock: HeldLock, attempt: JobAttempt): Promise<void> {
    if (run.status === 'running') return this.drive(run, lock, attempt);
    if (run.status !== 'queued') return;
    const workflow = await this.deps.loadWorkflow(run);
    const trigger = workflow.nodes.find((node) => nodeTrigger(node, this.deps.definitions));
    if (!trigger) {
      await this.fail(run, lock, `Workflow ${run.workflowId} v${run.workflowVersion} has no trigger node.`);
      return;
    }
    const next = this.touch({ ...run, status: 'running', currentNodeId: trigger.id, visits: { [trigger.id]: 1 } });
    await lock.write(this.deps.store.saveCommands(next));
    return this.drive(next, lock, attempt);
  }

  /** `resume` job: a reply is in the inbox. Only a run waiting for a reply takes it. */
  async reply(run: RunState, lock: HeldLock, attempt: JobAttempt): Promise<void> {
    if (run.status === 'running') return this.drive(run, lock, attempt);
    if (run.status !== 'waiting' || run.wait?.kind !== 'reply') return;
    const resumed = await this.takeReply(run, lock);
    if (resumed) return this.drive(resumed, lock, attempt);
  }

  /**
   * `timeout` job of wait `waitSeq`. A stale one (the run moved on) does nothing. A reply that
   * reached the inbox before the timeout job took the lock wins over the timeout.
   */
  async timeout(run: RunState, waitSeq: number, lock: HeldLock, attempt: JobAttempt): Promise<void> {
    if (run.status === 'running') return this.drive(run, lock, attempt);
    if (run.status !== 'waiting' || !run.wait || run.wait.seq !== waitSeq) return;
    if (run.wait.kind === 'reply') {
      const resumed = await this.takeReply(run, lock);
      if (resumed) return this.drive(resumed, lock, attempt);
    }
    const resumed = this.touch({
      ...run,
      status: 'running',
      wait: null,
      inflight: { nodeId: run.wait.nodeId, startedAt: Date.now(), resume: { kind: 'timeout' }, started: false },
    });
    await lock.write([...this.deps.store.saveCommands(resumed), this.clearTimer(run)]);
    return this.drive(resumed, lock, attempt);
  }

  /** Moves the oldest inbox reply into the run as the event its waiting step resumes with. */
  private async takeReply(run: RunState, lock: HeldLock): Promise<RunState | null> {
    const wait = run.wait;
    if (!wait) return null;
    const raw = await this.deps.redis.lindex(this.deps.keys.inbox(run.id), 0);
    if (raw === null) return null;
    const reply = InboxEntry.parse(JSON.parse(raw));
    const resumed = this.touch({
      ...run,
      status: 'running',
      wait: null,
      inflight: { nodeId: wait.nodeId, startedAt: Date.now(), resume: reply, started: false },
    });
    await lock.write([
      ['LPOP', this.deps.keys.inbox(run.id)],
      this.deps.store.appendTranscriptCommand(run.id, { from: 'contact', text: reply.text, at: reply.receivedAt }),
      ...this.deps.store.saveCommands(resumed),
      this.clearTimer(run),
    ]);
    return resumed;
  }

  /** Executes steps until the run pauses or ends. */
  private async drive(initial: RunState, lock: HeldLock, attempt: JobAttempt): Promise<void> {
    let run = initial;
    const workflow = await this.deps.loadWorkflow(run);
    while (run.status === 'running') {
      if (attempt.signal.aborted) throw new Error(`Run ${run.id}: the worker is stopping; the job will be retried.`);
      const nodeId = run.currentNodeId;
      const node = workflow.nodes.find((candidate) => candidate.id === nodeId);
      if (!node) {
        await this.fail(run, lock, `Node "${nodeId}" is not in workflow ${run.workflowId} v${run.workflowVersion}.`);
        return;
      }
      run = await this.step(run, node, workflow, lock, attempt);
    }
  }

  private async step(
    before: RunState,
    node: WorkflowNode,
    workflow: Workflow,
    lock: HeldLock,
    attempt: JobAttempt,
  ): Promise<RunState> {
    const { definitions, runners, store, keys } = this.deps;
    const definition = definitionOf(definitions, node.type);
    const inflight = before.inflight?.nodeId === node.id ? before.inflight : null;
    const event = inflight?.resume;
    const startedAt = Date.now();
    const executing: InflightStep = {
      nodeId: node.id,
      startedAt: inflight?.startedAt ?? startedAt,
      ...(event ? { resume: event } : {}),
      ...(definition?.pauses ? { asks: true } : {}),
      started: true,
    };
    const run = this.touch({ ...before, inflight: executing });
    const commands: Command[] = store.saveCommands(run);
    // A fresh visit of a waiting node only answers to replies received from now on.
    if (!inflight && definition?.pauses) commands.push(['DEL', keys.inbox(run.id)]);
    await lock.write(commands);

    if (!definition) return this.fail(run, lock, `Node "${node.id}" has unknown type "${node.type}".`, node);
    const parsed = definition.schema.safeParse(node.data);
    if (!parsed.success) {
      return this.fail(
        run,
        lock,
        `Node "${node.id}" (${node.type}) has an invalid configuration: ${parsed.error.issues
          .map((issue) => `${issue.path.join('.') || '(data)'}: ${issue.message}`)
          .join('; ')}`,
        node,
      );
    }
    const runner = runnerOf(runners, node.type);
    const logger = this.deps.logger.child({ runId: run.id, nodeId: node.id });
    const visit = run.visits[node.id] ?? 1;
    const { ctx, warnings } = buildStepContext({
      runId: run.id,
      workflowId: run.workflowId,
      nodeId: node.id,
      conversationId: run.conversationId,
      contactId: run.contactId,
      data: parsed.data,
      scope: run.scope,
      idempotencyKey: `${run.id}:${node.id}:${visit}`,
      mayHaveRunBefore: inflight?.started === true,
      state: event ? run.nodeState : null,
      channel: runChannel({
        webhook: this.deps.channel,
        store: this.deps.store,
        run,
        nodeId: node.id,
        visit,
        signal: attempt.signal,
      }),
      connections: this.deps.connections,
      allowPrivateNetwork: this.deps.allowPrivateNetwork,
      logger,
      signal: attempt.signal,
    });

    let outcome: StepOutcome;
    try {
      if (!runner) {
        if (!nodeTrigger(node, definitions))
          throw new StepError(`No runner is registered for node type "${node.type}".`);
        outcome = { type: 'exit' };
      } else if (event) {
        if (!runner.resume) throw new StepError(`Node type "${node.type}" paused but cannot resume.`);
        outcome = await runner.resume(ctx, toResumeEvent(event));
      } else {
        outcome = await runner.run(ctx);
      }
    } catch (error) {
      // Not the step's failure: the job is retried and the step re-executed.
      if (attempt.signal.aborted || error instanceof InfrastructureError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      const durationMs = Date.now() - startedAt;
      this.deps.metrics.stepDuration.observe({ node_type: node.type, outcome: 'failed' }, durationMs / 1000);
      const retryable = error instanceof StepError && error.retryable;
      if (retryable && !attempt.finalAttempt) {
        const entry = logEntry(node, startedAt, 'failed', warnings, { error: message, note: 'will be retried' });
        const retrying = this.touch({ ...run, inflight: { ...executing, started: false } });
        await lock.write([store.appendStepCommand(run.id, entry), ...store.saveCommands(retrying)]);
        logger.warn({ err: message }, 'step failed, retrying');
        throw new RetryStepError(message);
      }
      logger.warn({ err: message }, 'step failed');
      return this.fail(run, lock, message, node, { startedAt, warnings });
    }
    const durationMs = Date.now() - startedAt;
    this.deps.metrics.stepDuration.observe({ node_type: node.type, outcome: outcome.type }, durationMs / 1000);

    const step = { node, startedAt, warnings };
    const after =
      outcome.type === 'exit'
        ? await this.leave(run, outcome, step, definition.exits(parsed.data), workflow, lock)
        : await this.pause(run, outcome, step, lock);
    if (outcome.survey && !run.test && after.status !== 'failed') {
      await this.recordSurvey(outcome.survey, run, node.id);
    }
    if (after.status === 'waiting' && after.wait?.kind === 'reply') {
      // A reply that arrived while the question was being asked is already in the inbox.
      return (await this.takeReply(after, lock)) ?? after;
    }
    return after;
  }

  /** Records the exit and the run's next position (or its completion) in one write. */
  private async leave(
    run: RunState,
    outcome: Extract<StepOutcome, { type: 'exit' }>,
    step: ExecutedStep,
    exits: readonly string[],
    workflow: Workflow,
    lock: HeldLock,
  ): Promise<RunState> {
    const { node } = step;
    const exit = outcome.exit ?? DEFAULT_EXIT;
    if (!exits.includes(exit)) {
      return this.fail(
        run,
        lock,
        `Node "${node.id}" left by exit "${exit}", which its type does not declare.`,
        node,
        step,
      );
    }
    // No edge for the exit taken: the run is complete.
    const edge = workflow.edges.find((e) => e.source === node.id && (e.sourceHandle ?? DEFAULT_EXIT) === exit);
    const after = this.touch({
      ...run,
      scope: { ...run.scope, ...(outcome.variables ?? {}) },
      inflight: null,
      nodeState: null,
      ...(edge
        ? {
            currentNodeId: edge.target,
            visits: { ...run.visits, [edge.target]: (run.visits[edge.target] ?? 0) + 1 },
          }
        : { status: 'completed', currentNodeId: null, endedAt: Date.now() }),
    });
    const entry = logEntry(node, step.startedAt, 'exited', step.warnings, { exit, note: outcome.note });
    await lock.write([this.deps.store.appendStepCommand(run.id, entry), ...this.deps.store.saveCommands(after)]);
    if (after.status === 'completed') this.ended(after);
    return after;
  }

  /** Records the wait, its deadline and the node's state in one write. */
  private async pause(
    run: RunState,
    outcome: Extract<StepOutcome, { type: 'pause' }>,
    step: ExecutedStep,
    lock: HeldLock,
  ): Promise<RunState> {
    const { wait } = outcome;
    const seq = run.waitSeq + 1;
    const now = Date.now();
    const deadline = wait.kind === 'delay' ? now + wait.ms : wait.timeoutMs === null ? null : now + wait.timeoutMs;
    const after = this.touch({
      ...run,
      status: 'waiting',
      waitSeq: seq,
      wait: {
        kind: wait.kind,
        nodeId: step.node.id,
        seq,
        deadline,
        askedAt: run.inflight?.startedAt ?? step.startedAt,
      },
      nodeState: outcome.state ?? null,
      inflight: null,
    });
    const entry = logEntry(step.node, step.startedAt, 'paused', step.warnings, { note: outcome.note });
    const commands = [this.deps.store.appendStepCommand(run.id, entry), ...this.deps.store.saveCommands(after)];
    // The deadline is written with the pause: a paused run always has its timer, and vice versa.
    if (deadline !== null) commands.push(['ZADD', this.deps.keys.timers(), String(deadline), timerMember(run.id, seq)]);
    await lock.write(commands);
    return after;
  }

  private async recordSurvey(signal: SurveySignal, run: RunState, nodeId: string): Promise<void> {
    try {
      await this.deps.analytics.record(signal, surveyFacts(run, nodeId));
    } catch (error) {
      this.deps.logger.error({ runId: run.id, nodeId, err: error }, 'could not record a survey answer in analytics');
    }
  }

  /** Ends the run as failed, with the error in the log (as this node's entry when there is one). */
  async fail(
    run: RunState,
    lock: HeldLock,
    error: string,
    node?: WorkflowNode,
    step?: Omit<ExecutedStep, 'node'>,
  ): Promise<RunState> {
    const failed = this.touch({ ...run, status: 'failed', error, endedAt: Date.now(), inflight: null, wait: null });
    const commands = [...this.deps.store.saveCommands(failed), this.clearTimer(run)];
    if (node) {
      const entry = logEntry(node, step?.startedAt ?? Date.now(), 'failed', step?.warnings ?? [], { error });
      commands.unshift(this.deps.store.appendStepCommand(run.id, entry));
    }
    await lock.write(commands);
    this.ended(failed);
    return failed;
  }

  /** Removes the deadline of the run's current wait (a no-op without one). */
  clearTimer(run: RunState): Command {
    return ['ZREM', this.deps.keys.timers(), timerMember(run.id, run.wait?.seq ?? run.waitSeq)];
  }

  private ended(run: RunState): void {
    this.deps.metrics.runsEnded.inc({ workflow: run.workflowId, status: run.status });
  }

  private touch(run: RunState): RunState {
    return { ...run, updatedAt: Date.now() };
  }
}

function toResumeEvent(event: StoredResume) {
  return event.kind === 'reply' ? { kind: 'reply' as const, text: event.text, receivedAt: event.receivedAt } : event;
}

function logEntry(
  node: WorkflowNode,
  startedAt: number,
  outcome: StepLogEntry['outcome'],
  warnings: string[],
  extra: { exit?: string; error?: string; note?: string | undefined },
): StepLogEntry {
  return {
    nodeId: node.id,
    nodeType: node.type,
    startedAt,
    durationMs: Date.now() - startedAt,
    outcome,
    ...(extra.exit ? { exit: extra.exit } : {}),
    ...(extra.error ? { error: extra.error } : {}),
    ...(warnings.length > 0 ? { warnings: [...warnings] } : {}),
    ...(extra.note ? { note: extra.note } : {}),
  };
}
