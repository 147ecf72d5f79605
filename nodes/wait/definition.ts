import { DEFAULT_EXIT, defineNode } from '@convoflow/engine';
import { z } from 'zod';
import { durationField } from '../shared/fields.ts';

export const waitSchema = z.object({
  duration: durationField().meta({ title: 'Wait for', description: 'How long to pause before the next step' }),
});
export type WaitData = z.infer<typeof waitSchema>;

export const wait = defineNode({
  type: 'wait',
  label: 'Wait',
  group: 'Logic',
  description: 'Pauses the run for a while, then continues.',
  icon: '⏳',
  schema: waitSchema,
  exits: () => [DEFAULT_EXIT],
  variables: () => [],
  pauses: true,
  waitBefore: (data) => ({ kind: 'timer', field: 'duration', duration: data.duration }),
  summary: ({ duration }) =>
    typeof duration?.value === 'number' && typeof duration.unit === 'string'
      ? `Wait ${duration.value} ${duration.unit}`
      : undefined,
});
