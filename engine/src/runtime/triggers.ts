import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ConversationClosedEvent, ShortcutRequest } from '../contract/events.ts';
import { SimulationRequest } from '../contract/runs.ts';
import { AppError, workflowInvalid } from '../errors.ts';
import type { ChannelBinding } from '../sdk/channel-adapter.ts';
import type { NodeRegistry } from '../sdk/define-node.ts';
import type { Json } from '../sdk/runner.ts';
import type { WorkflowStore } from '../stores/workflow-store.ts';
import { Workflow } from '../workflow/schema.ts';
import { validateWorkflow } from '../workflow/validate.ts';
import { type Enroller, triggerOf } from './enrollment.ts';
import type { RuntimeKeys } from './keys.ts';
import { randomRunId, runIdForEvent } from './run-ids.ts';

import { EVENT_DEDUP_TTL_S } from './run-store.ts';

/** Turns platform events, agent shortcuts and simulator requests into runs. */
export class Triggers {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RuntimeKeys,
    private readonly workflows: WorkflowStore,
    private readonly definitions: NodeRegistry,
    private readonly enroller: Enroller,
    private readonly logger: Logger,
  ) {}

  /** One run per published workflow whose `conversation.closed` trigger matches and whose rules allow it. */
  async conversationClosed(event: ConversationClosedEvent, channel?: ChannelBinding): Promise<string[]> {
    const eventKey = `closed:${event.eventId}`;
    const [seen, published] = await Promise.all([this.seen(eventKey), this.workflows.published()]);
    const scope = compact({
      contact: compact(event.contact),
      conversation: compact(event.conversation),
      ...(event.assignee ? { assignee: compact(event.assignee) } : {}),
      trigger: { eventId: event.eventId },
    });
    const runIds: string[] = [];
    let refused = false;
    for (const { workflow, version } of published) {
      const trigger = triggerOf(workflow, this.definitions);
      if (trigger?.definition.trigger?.event !== 'conversation.closed') continue;
      const data = trigger.definition.schema.safeParse(trigger.node.data);
      if (!data.success) {
        this.logger.warn(
          { workflowId: workflow.id, version },
          'published trigger has an invalid configuration; skipped',
        );
        continue;
      }
      const matches = trigger.definition.trigger.matches;
      if (matches && !matches(data.data, event)) continue;
      const runId = runIdForEvent(eventKey, workflow.id);
      if (seen) {
        if (await this.enroller.existingRun(runId)) runIds.push(runId);
        continue;
      }
      const result = await this.enroller.enroll({
        workflow,
        version,
        test: false,
        runId,
        trigger: 'conversation.closed',
        conversationId: event.conversation.id,
        contact: event.contact,
        scope,
        ...(channel ? { channel } : {}),
      });
      if (result.enrolled) runIds.push(result.runId);
      else {
        refused = true;
        this.logger.info({ workflowId: workflow.id, eventId: event.eventId, reason: result.reason }, 'not enrolled');
      }
    }
    // While its runs are active, their records (whose ids derive from the event) make a
    // redelivery find them again; each run marks the event seen when it ends (`run-store.ts`).
    // Saves a key per waiting run. An event that enrolled nothing, or not everywhere, is marked now.
    if (!seen && (refused || runIds.length === 0)) await this.markSeen(eventKey);
    return runIds;
  }

  async shortcut(workflowId: string, request: ShortcutRequest, channel?: ChannelBinding): Promise<string> {
    const record = await this.workflows.get(workflowId);
    if (record.publishedVersion === null) {
      throw new AppError('WORKFLOW_NOT_PUBLISHED', workflowId);
    }
    const workflow = await this.workflows.getVersion(workflowId, record.publishedVersion);
    const trigger = triggerOf(workflow, this.definitions);
    if (trigger?.definition.trigger?.event !== 'shortcut') {
      throw new AppError('NOT_A_SHORTCUT_WORKFLOW', { id: workflowId, trigger: trigger?.node.type ?? 'missing' });
    }
    const eventKey = request.eventId === undefined ? null : `shortcut:${request.eventId}`;
    const runId = eventKey ? runIdForEvent(eventKey, workflowId) : randomRunId();
    if (eventKey && (await this.seen(eventKey))) {
      if (await this.enroller.existingRun(runId)) return runId;
      throw new AppError('NOT_ENROLLED', 'duplicate', { reason: 'duplicate' });
    }
    const result = await this.enroller.enroll({
      workflow,
      version: record.publishedVersion,
      test: false,
      runId,
      trigger: 'shortcut',
      conversationId: request.conversationId,
      contact: request.contact,
      scope: compact({
        contact: compact(request.contact),
        conversation: { id: request.conversationId },
        shortcut: { triggeredBy: compact(request.triggeredBy) },
      }),
      ...(channel ? { channel } : {}),
    });
    if (eventKey) await this.markSeen(eventKey);
    if (!result.enrolled) {
      throw new AppError('NOT_ENROLLED', result.reason, { reason: result.reason });
    }
    return result.runId;
  }

  /** A test run of the saved draft; the draft is stored with the run, so later edits do not affect it. */
  async simulate(workflowId: string, input: SimulationRequest): Promise<string> {
    const request = SimulationRequest.parse(input);
    const record = await this.workflows.get(workflowId);
    const workflow = Workflow.parse({
      id: record.id,
      name: record.name,
      nodes: record.nodes,
      edges: record.edges,
      settings: record.settings,
    });
    const report = validateWorkflow(workflow, this.definitions);
    if (!report.valid) throw workflowInvalid(report.problems);
    const runId = randomRunId();
    const conversation = compact({ ...request.conversation, id: request.conversation.id ?? `test-${runId}` });
    const scope =
      request.trigger === 'shortcut'
        ? {
            contact: compact(request.contact),
            conversation: { id: conversation.id ?? `test-${runId}` },
            shortcut: { triggeredBy: { id: 'simulator', name: 'Simulator' } },
          }
        : compact({
            contact: compact(request.contact),
            conversation,
            ...(request.assignee ? { assignee: compact(request.assignee) } : {}),
            trigger: { eventId: `test-${runId}` },
          });
    const result = await this.enroller.enroll({
      workflow,
      version: 0,
      test: true,
      runId,
      trigger: request.trigger,
      conversationId: String(conversation.id),
      contact: request.contact,
      scope,
    });
    if (!result.enrolled) throw new AppError('NOT_ENROLLED', result.reason);
    return result.runId;
  }

  /**
   * An event is marked seen once its enrolment finished, so a retry after a failure half-way
   * completes it (its run ids and claims find what the first try did), while a delivery after
   * that, even once the runs expired, enrolls nothing new.
   */
  private async seen(eventKey: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.event(eventKey))) === 1;
  }

  private async markSeen(eventKey: string): Promise<void> {
    await this.redis.set(this.keys.event(eventKey), '1', 'EX', EVENT_DEDUP_TTL_S);
  }
}

/** Drops absent fields so the scope holds JSON only. */
function compact<T extends Record<string, Json | undefined>>(value: T): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [key, entry] of Object.entries(value)) if (entry !== undefined) out[key] = entry;
  return out;
}
