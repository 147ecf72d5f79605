import type { Logger } from 'pino';
import type { EnrollmentRefusal } from '../errors.ts';
import type { Metrics } from '../metrics.ts';
import type { ChannelBinding } from '../sdk/channel-adapter.ts';
import type { AnyNodeDefinition, NodeRegistry, TriggerEvent } from '../sdk/define-node.ts';
import type { Json } from '../sdk/runner.ts';
import { durationToMs } from '../workflow/duration.ts';
import type { Workflow, WorkflowNode } from '../workflow/schema.ts';
import type { RuntimeKeys } from './keys.ts';
import { definitionOf } from './node-lookup.ts';
import type { RunQueue } from './queue.ts';
import type { RunState } from './run-state.ts';
import type { RunStore } from './run-store.ts';

export interface Enrollment {
  workflow: Workflow;
  version: number;
  test: boolean;
  runId: string;
  trigger: TriggerEvent;
  conversationId: string;
  contact: { id: string; name?: string | undefined };
  scope: Record<string, Json>;
  /** The channel connection the event came through; its messages go back the same way. */
  channel?: ChannelBinding;
}

export type EnrollResult = { enrolled: true; runId: string } | { enrolled: false; reason: EnrollmentRefusal };

/**
 * Creates runs under the workflow's enrolment rules. Every rule is a Redis claim taken with
 * SET NX whose value is the run id, and run ids of events are derived from the event id: two
 * deliveries of one event (concurrent, or a retry after a failure half-way) pass each other's
 * claims and create the run once (SET NX on the run key).
 */
export class Enroller {
  constructor(
    private readonly keys: RuntimeKeys,
    private readonly store: RunStore,
    private readonly queue: RunQueue,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
  ) {}

  async enroll(e: Enrollment): Promise<EnrollResult> {
    const { workflow, runId } = e;
    const rules: Array<{ reason: 'active' | 'once' | 'after'; key: string; ttlMs: number }> = [];
    if (!e.test) {
      rules.push({ reason: 'active', key: this.keys.activeClaim(workflow.id, e.conversationId), ttlMs: 0 });
      const rule = workflow.settings.reenrollment;
      if (rule.mode === 'once')
        rules.push({ reason: 'once', key: this.keys.onceClaim(workflow.id, e.contact.id), ttlMs: 0 });
      if (rule.mode === 'after') {
        rules.push({
          reason: 'after',
          key: this.keys.afterClaim(workflow.id, e.contact.id),
          ttlMs: durationToMs(rule.after),
        });
      }
    }
    const now = Date.now();
    const run: RunState = {
      id: runId,
      test: e.test,
      workflowId: workflow.id,
      workflowVersion: e.version,
      trigger: e.trigger,
      conversationId: e.conversationId,
      contactId: e.contact.id,
      ...(e.contact.name ? { contactName: e.contact.name } : {}),
      status: 'queued',
      currentNodeId: null,
      createdAt: now,
      updatedAt: now,
      endedAt: null,
      scope: e.scope,
      visits: {},
      wait: null,
      waitSeq: 0,
      nodeState: null,
      inflight: null,
      ...(e.channel ? { channel: e.channel } : {}),
    };
    // A claim already holding this run id is another delivery of this very event (alive, or
    // died before creating the run): the run is ours to create; creating it is idempotent.
    const created = await this.store.create(run, e.test ? workflow : undefined, rules);
    if (created.kind === 'refused') return { enrolled: false, reason: rules[created.claim]?.reason ?? 'active' };
    if (created.kind === 'exists') return this.existing(runId);
    this.metrics.runsStarted.inc({ workflow: workflow.id });
    await this.queue.start(runId);
    this.logger.info({ runId, workflowId: workflow.id, version: e.version, test: e.test }, 'run enrolled');
    return { enrolled: true, runId };
  }

  /** A duplicate delivery: the run is returned, and started again if its first start was lost. */
  private async existing(runId: string): Promise<EnrollResult> {
    return (await this.existingRun(runId)) ? { enrolled: true, runId } : { enrolled: false, reason: 'duplicate' };
  }

  /** Whether the run exists; a run still queued is enqueued again (enqueuing is idempotent). */
  async existingRun(runId: string): Promise<boolean> {
    const run = await this.store.get(runId);
    if (run?.status === 'queued') await this.queue.start(runId);
    return run !== null;
  }
}

/** The workflow's trigger node and its definition, when it has exactly one usable trigger. */
export function triggerOf(
  workflow: Workflow,
  definitions: NodeRegistry,
): { node: WorkflowNode; definition: AnyNodeDefinition } | null {
  for (const node of workflow.nodes) {
    const definition = definitionOf(definitions, node.type);
    if (definition?.trigger) return { node, definition };
  }
  return null;
}
