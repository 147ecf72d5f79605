import { z } from 'zod';

export const runStatuses = ['queued', 'running', 'waiting', 'completed', 'failed', 'cancelled'] as const;
export const RunStatus = z.enum(runStatuses);
export type RunStatus = z.infer<typeof RunStatus>;

export const StepLogEntry = z.object({
  nodeId: z.string(),
  nodeType: z.string(),
  startedAt: z.number().describe('epoch ms'),
  durationMs: z.number(),
  /** What the step did: left by an exit, paused, resumed then left, or failed. */
  outcome: z.enum(['exited', 'paused', 'failed', 'skipped']),
  exit: z.string().optional(),
  error: z.string().optional(),
  warnings: z.array(z.string()).optional(),
  note: z.string().optional(),
});
export type StepLogEntry = z.infer<typeof StepLogEntry>;

export const RunSummary = z.object({
  id: z.string(),
  workflowId: z.string(),
  workflowVersion: z.number().int(),
  status: RunStatus,
  trigger: z.enum(['conversation.closed', 'shortcut']),
  conversationId: z.string(),
  contactId: z.string(),
  contactName: z.string().optional(),
  currentNodeId: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  endedAt: z.number().nullable(),
  error: z.string().optional(),
});
export type RunSummary = z.infer<typeof RunSummary>;

export const RunDetail = RunSummary.extend({
  variables: z.record(z.string(), z.unknown()),
  steps: z.array(StepLogEntry),
  waitingFor: z.enum(['reply', 'delay']).nullable(),
});
export type RunDetail = z.infer<typeof RunDetail>;

export const RunQuery = z.object({
  workflowId: z.string().optional(),
  status: RunStatus.optional(),
  conversationId: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type RunQuery = z.infer<typeof RunQuery>;
