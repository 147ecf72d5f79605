import { z } from 'zod';

export const durationUnits = ['seconds', 'minutes', 'hours', 'days'] as const;

export const Duration = z.object({
  value: z.number().positive().meta({ description: 'How many units' }),
  unit: z.enum(durationUnits),
});
export type Duration = z.infer<typeof Duration>;

const unitMs: Record<Duration['unit'], number> = {
  seconds: 1_000,
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
};

export function durationToMs(duration: Duration): number {
  return Math.round(duration.value * unitMs[duration.unit]);
}

/** As an operator wrote it: "1 minute", "0.0001 seconds". */
export function describeDuration(duration: Duration): string {
  return `${duration.value} ${duration.value === 1 ? duration.unit.slice(0, -1) : duration.unit}`;
}
