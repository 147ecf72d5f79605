/**
 * How far a run has gone, from the visit counts its record keeps anyway (the "attempt family"
 * of idempotency keys): every step entered bumps its node's count, so their sum is the number
 * of steps the run has entered, at no byte of extra state per run.
 */

/** The default of `RuntimeOptions.maxStepsPerRun`. */
export const DEFAULT_MAX_STEPS_PER_RUN = 1_000;

/** Times `nodeId` was entered, undefined before its first; own entries only, as a node may be called "constructor". */
export function visitsOf(visits: Readonly<Record<string, number>>, nodeId: string): number | undefined {
  return Object.hasOwn(visits, nodeId) ? visits[nodeId] : undefined;
}

export function stepsEntered(visits: Readonly<Record<string, number>>): number {
  let total = 0;
  for (const count of Object.values(visits)) total += count;
  return total;
}

/** Why a run that entered more than `maxSteps` steps was stopped, naming the step it kept coming back to. */
export function stepCapReason(visits: Readonly<Record<string, number>>, maxSteps: number): string {
  let busiest = '';
  let most = 0;
  for (const [nodeId, count] of Object.entries(visits)) {
    if (count > most) [busiest, most] = [nodeId, count];
  }
  const steps = maxSteps.toLocaleString('en-US');
  return `Stopped after ${steps} steps: the workflow loops (step "${busiest}" was reached ${most.toLocaleString('en-US')} times), and a run may take at most ${steps} steps (RUN_MAX_STEPS).`;
}
