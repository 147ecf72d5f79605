import { z } from 'zod';

export const metrics = ['csat', 'nps', 'ces'] as const;
export const Metric = z.enum(metrics);
export type Metric = z.infer<typeof Metric>;

export const CsatQuery = z.object({
  from: z.iso.date().optional().describe('first day, YYYY-MM-DD (UTC), inclusive'),
  to: z.iso.date().optional().describe('last day, YYYY-MM-DD (UTC), inclusive'),
  benchmark: z.coerce.number().optional().describe('CSAT: answers at or above count as satisfied; default 4'),
  nodeId: z.string().optional().describe('which question, when the workflow asks several'),
});
export type CsatQuery = z.infer<typeof CsatQuery>;

const Breakdown = z.object({
  key: z.string(),
  answered: z.number().int(),
  /** CSAT %, NPS or mean CES for this slice; null with no answers. */
  score: z.number().nullable(),
  average: z.number().nullable(),
});

export const CsatReport = z.object({
  workflowId: z.string(),
  nodeId: z.string().nullable(),
  metric: Metric,
  scale: z.object({ min: z.number(), max: z.number() }),
  benchmark: z.number(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  asked: z.number().int(),
  answered: z.number().int(),
  /** answered ÷ asked, 0–1; null when nothing was asked. */
  responseRate: z.number().nullable(),
  /** CSAT %: answers ≥ benchmark ÷ answers × 100; NPS: % promoters − % detractors; CES: mean. */
  score: z.number().nullable(),
  average: z.number().nullable(),
  distribution: z.array(z.object({ value: z.number(), count: z.number().int() })),
  byDay: z.array(Breakdown.extend({ asked: z.number().int() })),
  byAgent: z.array(Breakdown),
  byChannel: z.array(Breakdown),
  /** By channel connection id; answers that came through none (the generic webhook) are "unknown". */
  byConnection: z.array(Breakdown),
  /** By inbox, keyed `<connection>/<inbox>`: a platform's inbox id is unique within its connection only. */
  byInbox: z.array(Breakdown),
});
export type CsatReport = z.infer<typeof CsatReport>;
