import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { StepLogEntry } from '../contract/runs.ts';
import type { Metrics } from '../metrics.ts';
import { DEFAULT_EXIT, type NodeRegistry } from '../sdk/define-node.ts';
import { StepError } from '../sdk/errors.ts';
import type { ConnectionResolver, RunnerRegistry, StepData, StepOutcome, SurveySignal } from '../sdk/runner.ts';
import { capStepData } from '../sdk/step-data.ts';
import type { SurveyFacts } from '../stores/analytics-store.ts';
import type { Workflow, WorkflowNode } from '../workflow/schema.ts';
import { settingsProblem, unknownStepType } from '../workflow/validate-data.ts';
import type { ChannelOutbox } from './channel-outbox.ts';
import { InboxEntry } from './inbox.ts';
import { InfrastructureError } from './infrastructure-error.ts';
import type { RuntimeKeys } from './keys.ts';
import type { Command, HeldLock } from './locks.ts';
import { definitionOf, runnerOf } from './node-lookup.ts';
import { settingsOf } from './node-settings.ts';
import { runChannel } from './run-channel.ts';
import { failedStepsAfter, isFailureExit } from './run-outcome.ts';
import type { InflightStep, RunState, RunWait, StoredResume } from './run-state.ts';
import type { RunStore } from './run-store.ts';
import { buildStepContext } from './step-context.ts';
import { stepCapReason, stepsEntered, visitsOf } from './step-count.ts';
import { surveyFacts } from './survey-facts.ts';
import { timerMember } from './timers.ts';

/** How long resolving the conversation of a completed run may take. */
const AFTER_COMPLETION_TIMEOUT_MS = 10_000;

/** Analytics of survey signals, counted in the write that records the step's outcome: exactly once. */
export interface SurveyRecorder {
  countCommands(signal: SurveySignal, facts: SurveyFacts): Command[];
}

export interface InterpreterDeps {
  redis: Redis;
  keys: RuntimeKeys;
  store: RunStore;
  definitions: NodeRegistry;
  runners: RunnerRegistry;
  loadWorkflow(run: RunState): Promise<Workflow>;
  channel: ChannelOutbox;
  connections: ConnectionResolver;
  analytics: SurveyRecorder;
  allowPrivateNetwork: boolean;
  logger: Logger;
  metrics: Metrics;
  /** A run that would enter more steps than this fails instead: it loops. */
  maxStepsPerRun: number;
  /** The writes recording a step's failure for its workflow's alert (`failure-alert-record.ts`), in the failure's own write. */
  failureAlert(run: RunState, nodeId: string | null, reason: string): Command[];
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
  /** Analytics writes of the step's survey signal, applied with its outcome. */
  survey?: Command[];
  /** Transcript lines of the messages the step sent, written with its outcome (or failure). */
  transcript: Command[];
  /** What a failed step reported it sent and received (`StepError.data`). */
  data?: StepData;
}

/**
 * A run as this job holds it. `armed`: this job itself recorded the step at the run's position
 * as started, in the write that moved the run there, and has not executed it yet: its first
 * execution needs no write of its own and may not have run before.
 */
interface Position {
  run: RunState;
  armed: boolean;
}

/** Thrown so BullMQ retries the job with backoff; the step's failure is already in the log. */
export class RetryStepError extends Error {
  override readonly name = 'RetryStepError';
}

const nodeTrigger = (node: WorkflowNode, definitions: NodeRegistry) =>
  definitionOf(definitions, node.type)?.trigger !== undefined;

/** A step executed: what its node returned, or the error it failed with. */
type Execution = ExecutedStep & { logger: () => Logger } & ({ outcome: StepOutcome } | { error: unknown });

/**
 * Advances one run while holding its lock. Every transition is one fenced atomic write: a step
 * is marked started before it executes, and its outcome is written together with the run's new
 * position, so a re-executed job continues from the last recorded position.
 */
export class Interpreter {
  constructor(private readonly deps: InterpreterDeps) {}

  /** `start` job: only a queued run begins; anything else was begun already. */
  async start(run: RunState, lock: HeldLock, attempt: JobAttempt): Promise<void> {
    if (run.status === 'running') return this.continue(run, lock, attempt);
    if (run.status !== 'queued') return;
    const workflow = await this.deps.loadWorkflow(run);
    const trigger = workflow.nodes.find((node) => nodeTrigger(node, this.deps.definitions));
    if (!trigger) {
      await this.fail(run, lock, `Workflow ${run.workflowId} v${run.workflowVersion} has no trigger node.`);
      return;
    }
    const { inflight, commands } = this.arm(run, trigger);
    const next = this.touch({
      ...run,
      status: 'running',
      currentNodeId: trigger.id,
      visits: { [trigger.id]: 1 },
      inflight,
    });
    // A trigger step only leaves (it has no side effects to guard): its exit writes the
    // beginning too. A job dying before that leaves the run queued, begun again by the retry.
    if (commands.length > 0) await lock.write([...this.deps.store.saveCommands(next), ...commands]);
    return this.drive({ run: next, armed: true }, workflow, lock, attempt);
  }

  /** `resume` job: a reply is in the inbox. Only a run waiting for a reply takes it. */
  async resume(run: RunState, lock: HeldLock, attempt: JobAttempt): Promise<void> {
    if (run.status === 'running') return this.continue(run, lock, attempt);
    if (run.status !== 'waiting' || run.wait?.kind !== 'reply') return;
    const workflow = await this.deps.loadWorkflow(run);
    const resumed = await this.takeReply(run, workflow, lock);
    if (resumed) return this.drive(resumed, workflow, lock, attempt);
  }

  /**
   * `deadline` job: wait `waitSeq` is over, a reply's time limit or a Wait's end. A stale one
   * (the run moved on) does nothing. A reply that reached the inbox before this job took the
   * lock wins over the deadline.
   */
  async deadline(run: RunState, waitSeq: number, lock: HeldLock, attempt: JobAttempt): Promise<void> {
    if (run.status === 'running') return this.continue(run, lock, attempt);
    if (run.status !== 'waiting' || !run.wait || run.wait.seq !== waitSeq) return;
    const workflow = await this.deps.loadWorkflow(run);
    if (run.wait.kind === 'reply') {
      const resumed = await this.takeReply(run, workflow, lock);
      if (resumed) return this.drive(resumed, workflow, lock, attempt);
    }
    const resumed = this.resumed(run, run.wait, workflow, { kind: 'deadline' });
    await lock.write([...this.deps.store.saveCommands(resumed), this.clearTimer(run)]);
    return this.drive({ run: resumed, armed: true }, workflow, lock, attempt);
  }

  /**
   * Moves the oldest inbox reply (`peeked`, when the caller read it already) into the run as
   * the event its waiting step resumes with.
   */
  private async takeReply(
    run: RunState,
    workflow: Workflow,
    lock: HeldLock,
    peeked?: string | null,
  ): Promise<Position | null> {
    const wait = run.wait;
    if (!wait) return null;
    const raw = peeked === undefined ? await this.deps.redis.lindex(this.deps.keys.inbox(run.id), 0) : peeked;
    if (raw === null) return null;
    const reply = InboxEntry.parse(JSON.parse(raw));
    const resumed = this.resumed(run, wait, workflow, reply);
    await lock.write([
      ['LPOP', this.deps.keys.inbox(run.id)],
      this.deps.store.appendTranscriptCommand(run, { from: 'contact', text: reply.text, at: reply.receivedAt }),
      ...this.deps.store.saveCommands(resumed),
      this.clearTimer(run),
    ]);
    return { run: resumed, armed: true };
  }

  /** The waiting run running again, its waiting step recorded as started to handle `event`. */
  private resumed(run: RunState, wait: RunWait, workflow: Workflow, event: StoredResume): RunState {
    const type = workflow.nodes.find((candidate) => candidate.id === wait.nodeId)?.type;
    return this.touch({
      ...run,
      status: 'running',
      wait: null,
      inflight: this.startedStep(wait.nodeId, type, Date.now(), event),
    });
  }

  /**
   * The step at `node` recorded as started, for the write that moves the run to it; a fresh
   * visit of a node that asks only answers to replies received from now on.
   */
  private arm(run: RunState, node: WorkflowNode): { inflight: InflightStep; commands: Command[] } {
    const inflight = this.startedStep(node.id, node.type, Date.now());
    return { inflight, commands: inflight.asks ? [['DEL', this.deps.keys.inbox(run.id)]] : [] };
  }

  /**
   * The run's in-flight step, recorded as started (the only place one is built). It `asks` when
   * its node can wait for a reply: a reply arriving while it executes may answer it.
   */
  private startedStep(nodeId: string, type: string | undefined, startedAt: number, resume?: StoredResume) {
    const asks = type !== undefined && definitionOf(this.deps.definitions, type)?.pauses === true;
    const step: InflightStep = {
      nodeId,
      startedAt,
      ...(resume ? { resume } : {}),
      ...(asks ? { asks: true } : {}),
      started: true,
    };
    return step;
  }

  /** A running run found by a job: its last job died, or the job holding it now left it. */
  private async continue(run: RunState, lock: HeldLock, attempt: JobAttempt): Promise<void> {
    return this.drive({ run, armed: false }, await this.deps.loadWorkflow(run), lock, attempt);
  }

  /** Executes steps until the run pauses or ends. */
  private async drive(initial: Position, workflow: Workflow, lock: HeldLock, attempt: JobAttempt): Promise<void> {
    let position = initial;
    while (position.run.status === 'running') {
      const run = position.run;
      if (attempt.signal.aborted) throw new Error(`Run ${run.id}: the worker is stopping; the job will be retried.`);
      const nodeId = run.currentNodeId;
      const node = workflow.nodes.find((candidate) => candidate.id === nodeId);
      if (!node) {
        await this.fail(run, lock, `Node "${nodeId}" is not in workflow ${run.workflowId} v${run.workflowVersion}.`);
        return;
      }
      if (stepsEntered(run.visits) > this.deps.maxStepsPerRun) {
        await this.fail(run, lock, stepCapReason(run.visits, this.deps.maxStepsPerRun), node);
        return;
      }
      position = await this.step(position, node, workflow, lock, attempt);
    }
  }

  /** One step: recorded as started, executed, then its outcome recorded with the run's next position. */
  private async step(
    position: Position,
    node: WorkflowNode,
    workflow: Workflow,
    lock: HeldLock,
    attempt: JobAttempt,
  ): Promise<Position> {
    const startedAt = Date.now();
    const { run, inflight, mayHaveRunBefore } = await this.recordStarted(position, node, lock);
    const definition = definitionOf(this.deps.definitions, node.type);
    if (!definition) return ended(await this.fail(run, lock, unknownStepType(node.type), node));
    const settings = settingsOf(node, definition);
    if (!settings.ok) return ended(await this.fail(run, lock, settingsProblem(settings.issues), node));
    const execution = await this.execute(run, node, settings.data, inflight, mayHaveRunBefore, startedAt, attempt);
    if ('error' in execution) return this.recordFailure(run, inflight, execution, attempt, lock);
    const { outcome } = execution;
    const step = {
      ...execution,
      survey: outcome.survey && !run.test ? this.surveyCommands(outcome.survey, run, node.id) : [],
    };
    if (outcome.type === 'exit') {
      return this.leave(run, outcome, step, definition.exits(settings.data), workflow, lock);
    }
    const { after, inboxHead } = await this.pause(run, outcome, step, lock);
    if (after.wait?.kind === 'reply' && inboxHead !== null) {
      // A reply that arrived while the question was being asked is already in the inbox.
      return (await this.takeReply(after, workflow, lock, inboxHead)) ?? ended(after);
    }
    return ended(after);
  }

  /**
   * The step at the run's position, recorded as started unless this job's last write did that
   * already (armed: never executed yet). Found started otherwise, it may have run before.
   */
  private async recordStarted(
    position: Position,
    node: WorkflowNode,
    lock: HeldLock,
  ): Promise<{ run: RunState; inflight: InflightStep; mayHaveRunBefore: boolean }> {
    const before = position.run;
    const found = before.inflight?.nodeId === node.id ? before.inflight : null;
    if (position.armed && found?.started) return { run: before, inflight: found, mayHaveRunBefore: false };
    const { inflight, commands } = found
      ? { inflight: this.startedStep(node.id, node.type, found.startedAt, found.resume), commands: [] }
      : this.arm(before, node);
    const run = this.touch({ ...before, inflight });
    await lock.write([...this.deps.store.saveCommands(run), ...commands]);
    return { run, inflight, mayHaveRunBefore: found?.started === true };
  }

  /** Runs the step's node: a resumed step handles the event it was recorded with. */
  private async execute(
    run: RunState,
    node: WorkflowNode,
    data: unknown,
    inflight: InflightStep,
    mayHaveRunBefore: boolean,
    startedAt: number,
    attempt: JobAttempt,
  ): Promise<Execution> {
    const { definitions, store } = this.deps;
    const runner = runnerOf(this.deps.runners, node.type);
    const event = inflight.resume;
    const logger = lazyChild(this.deps.logger, { runId: run.id, nodeId: node.id });
    const visit = visitsOf(run.visits, node.id) ?? 1;
    // Messages go into the transcript with the step's next write: one write per step. A step
    // re-executed after a crash re-sends them under the same idempotency keys, and records them then.
    const transcript: Command[] = [];
    const { ctx, warnings } = buildStepContext({
      runId: run.id,
      workflowId: run.workflowId,
      nodeId: node.id,
      conversationId: run.conversationId,
      contactId: run.contactId,
      data,
      scope: run.scope,
      idempotencyKey: `${run.id}:${node.id}:${visit}`,
      mayHaveRunBefore,
      state: event ? run.nodeState : null,
      channel: runChannel({
        outbox: this.deps.channel,
        record: (message) => transcript.push(store.appendTranscriptCommand(run, message)),
        note: (text) => warnings.push(text),
        finalAttempt: attempt.finalAttempt,
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
    const executed = { node, startedAt, warnings, transcript, logger };
    const observe = (outcome: string) =>
      this.deps.metrics.stepDuration.observe({ node_type: node.type, outcome }, (Date.now() - startedAt) / 1000);
    try {
      let outcome: StepOutcome;
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
      observe(outcome.type);
      return { ...executed, outcome };
    } catch (error) {
      // Not the step's failure: the job is retried and the step re-executed.
      if (attempt.signal.aborted || error instanceof InfrastructureError) throw error;
      observe('failed');
      return { ...executed, error };
    }
  }

  /**
   * A step that failed: one that may succeed later is recorded as not started and its job
   * retried, while attempts remain; otherwise the run fails.
   */
  private async recordFailure(
    run: RunState,
    inflight: InflightStep,
    failed: Extract<Execution, { error: unknown }>,
    attempt: JobAttempt,
    lock: HeldLock,
  ): Promise<Position> {
    const { store } = this.deps;
    const { error, node, startedAt, warnings, transcript, logger } = failed;
    const message = error instanceof Error ? error.message : String(error);
    const data = error instanceof StepError ? error.data : undefined;
    if (error instanceof StepError && error.retryable && !attempt.finalAttempt) {
      const entry = logEntry(node, startedAt, 'failed', warnings, { error: message, note: 'will be retried', data });
      const retrying = this.touch({ ...run, inflight: { ...inflight, started: false } });
      await lock.write([...transcript, store.appendStepCommand(run, entry), ...store.saveCommands(retrying)]);
      logger().warn({ err: message }, 'step failed, retrying');
      throw new RetryStepError(message);
    }
    logger().warn({ err: message }, 'step failed');
    return ended(await this.fail(run, lock, message, node, { startedAt, warnings, transcript, data }));
  }

  /** Records the exit and the run's next position (or its completion) in one write. */
  private async leave(
    run: RunState,
    outcome: Extract<StepOutcome, { type: 'exit' }>,
    step: ExecutedStep,
    exits: readonly string[],
    workflow: Workflow,
    lock: HeldLock,
  ): Promise<Position> {
    const { node } = step;
    const exit = outcome.exit ?? DEFAULT_EXIT;
    if (!exits.includes(exit)) {
      return ended(
        await this.fail(
          run,
          lock,
          `Node "${node.id}" left by exit "${exit}", which its type does not declare.`,
          node,
          step,
        ),
      );
    }
    // No edge for the exit taken: the run is complete.
    const edge = workflow.edges.find((e) => e.source === node.id && (e.sourceHandle ?? DEFAULT_EXIT) === exit);
    // The next step is recorded as started in this same write: one write per step, not two.
    const target = edge ? workflow.nodes.find((candidate) => candidate.id === edge.target) : undefined;
    const next = target ? this.arm(run, target) : null;
    const failedSteps = failedStepsAfter(run, node.id, exit);
    const after = this.touch({
      ...run,
      ...(failedSteps ? { failedSteps } : {}),
      scope: { ...run.scope, ...(outcome.variables ?? {}) },
      inflight: next?.inflight ?? null,
      nodeState: null,
      ...(edge
        ? {
            currentNodeId: edge.target,
            visits: { ...run.visits, [edge.target]: (visitsOf(run.visits, edge.target) ?? 0) + 1 },
          }
        : { status: 'completed', currentNodeId: null, endedAt: Date.now() }),
    });
    const entry = logEntry(node, step.startedAt, 'exited', step.warnings, { exit, note: outcome.note, data: outcome });
    await lock.write([
      ...step.transcript,
      this.deps.store.appendStepCommand(run, entry),
      ...this.deps.store.saveCommands(after),
      ...(next?.commands ?? []),
      ...(step.survey ?? []),
      ...(isFailureExit(exit) ? this.deps.failureAlert(run, node.id, outcome.note ?? `left by "${exit}"`) : []),
    ]);
    if (after.status === 'completed') {
      this.ended(after);
      // After the run's last write: a platform that fails here leaves a complete run, and a warning.
      await this.deps.channel
        .completed(after, AbortSignal.timeout(AFTER_COMPLETION_TIMEOUT_MS))
        .catch((error: unknown) =>
          this.deps.logger.warn({ runId: run.id, err: error }, 'could not resolve the conversation after the run'),
        );
    }
    return { run: after, armed: next?.inflight != null };
  }

  /**
   * Records the wait, its deadline and the node's state in one write, which also answers the
   * head of the run's inbox: a reply that came while the step was asking.
   */
  private async pause(
    run: RunState,
    outcome: Extract<StepOutcome, { type: 'pause' }>,
    step: ExecutedStep,
    lock: HeldLock,
  ): Promise<{ after: RunState; inboxHead: string | null }> {
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
    const entry = logEntry(step.node, step.startedAt, 'paused', step.warnings, { note: outcome.note, data: outcome });
    const commands = [
      ...step.transcript,
      this.deps.store.appendStepCommand(run, entry),
      ...this.deps.store.saveCommands(after),
      ...(step.survey ?? []),
    ];
    // The deadline is written with the pause: a paused run always has its timer, and vice versa.
    if (deadline !== null) commands.push(['ZADD', this.deps.keys.timers(), String(deadline), timerMember(run.id, seq)]);
    if (wait.kind !== 'reply') {
      await lock.write(commands);
      return { after, inboxHead: null };
    }
    return { after, inboxHead: await lock.writeAndPeek(commands, this.deps.keys.inbox(run.id)) };
  }

  private surveyCommands(signal: SurveySignal, run: RunState, nodeId: string): Command[] {
    try {
      return this.deps.analytics.countCommands(signal, surveyFacts(run, nodeId));
    } catch (error) {
      this.deps.logger.error({ runId: run.id, nodeId, err: error }, 'could not record a survey answer in analytics');
      return [];
    }
  }

  /**
   * Ends a run whose job gave up (out of attempts) as failed, the reason logged at the step the
   * run was at. That step's type comes from the run's version, or from the log when the version
   * is what could not be read.
   */
  async abandon(run: RunState, lock: HeldLock, reason: string): Promise<RunState> {
    const nodeId = run.inflight?.nodeId ?? run.wait?.nodeId ?? run.currentNodeId;
    if (nodeId === null) return this.fail(run, lock, reason);
    const workflow = await this.deps.loadWorkflow(run).catch(() => null);
    const type =
      workflow?.nodes.find((node) => node.id === nodeId)?.type ??
      (await this.deps.store.detail(run.id))?.steps.findLast((step) => step.nodeId === nodeId)?.nodeType;
    return this.fail(run, lock, reason, type === undefined ? undefined : { id: nodeId, type });
  }

  /** Ends the run as failed, with the error in the log (as this node's entry when there is one). */
  async fail(
    run: RunState,
    lock: HeldLock,
    error: string,
    node?: LoggedNode,
    step?: Omit<ExecutedStep, 'node'>,
  ): Promise<RunState> {
    const failed = this.touch({ ...run, status: 'failed', error, endedAt: Date.now(), inflight: null, wait: null });
    const commands = [...(step?.transcript ?? [])];
    if (node) {
      const entry = logEntry(node, step?.startedAt ?? Date.now(), 'failed', step?.warnings ?? [], {
        error,
        data: step?.data,
      });
      commands.push(this.deps.store.appendStepCommand(run, entry));
    }
    commands.push(
      ...this.deps.store.saveCommands(failed),
      this.clearTimer(run),
      ...this.deps.failureAlert(run, node?.id ?? null, error),
    );
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

/** What a step log entry names of its node. */
type LoggedNode = Pick<WorkflowNode, 'id' | 'type'>;

/** The position of a run this job will not advance further (paused, ended). */
const ended = (run: RunState): Position => ({ run, armed: false });

/** The step's logger, created only when the step logs (most never do). */
function lazyChild(logger: Logger, bindings: Record<string, string>): () => Logger {
  let child: Logger | undefined;
  return () => {
    child ??= logger.child(bindings);
    return child;
  };
}

function toResumeEvent(event: StoredResume) {
  return event.kind === 'reply' ? { kind: 'reply' as const, text: event.text, receivedAt: event.receivedAt } : event;
}

function logEntry(
  node: LoggedNode,
  startedAt: number,
  outcome: StepLogEntry['outcome'],
  warnings: string[],
  extra: { exit?: string; error?: string; note?: string | undefined; data?: StepData | undefined },
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
    // Only the fields the step set: an entry without data is stored as it was before data existed.
    ...capStepData(extra.data),
  };
}
