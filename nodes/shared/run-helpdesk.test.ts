import { type ChannelClient, StepError } from '@convoflow/engine';
import { describe, expect, it } from 'vitest';
import { actOnHelpdesk } from './run-helpdesk.ts';

/** A channel whose helpdesk answers `act` with `error`, as the engine or the platform fails it. */
const refusing = (error: Error): ChannelClient => ({ send: async () => {}, act: () => Promise.reject(error) });

/** What every helpdesk step (note, labels, assign, resolve) does with what its channel answers. */
describe('a helpdesk step', () => {
  it('leaves by success once the channel did it, showing the request in the run log', async () => {
    const acted: unknown[] = [];
    const channel: ChannelClient = { send: async () => {}, act: async (request) => void acted.push(request) };
    const request = { action: 'labels' as const, labels: ['low-csat'] };
    expect(await actOnHelpdesk(channel, () => request)).toEqual({ type: 'exit', exit: 'success', sent: request });
    expect(acted).toEqual([request]);
  });

  it('leaves by failure with the reason when the run’s channel cannot do it, or the platform refuses it for good', async () => {
    const reason = 'WhatsApp Cloud API cannot do this: adding labels is not something its API offers.';
    expect(await actOnHelpdesk(refusing(new StepError(reason)), () => ({ action: 'labels', labels: ['x'] }))).toEqual({
      type: 'exit',
      exit: 'failure',
      note: reason,
      sent: { action: 'labels', labels: ['x'] },
    });
  });

  it('lets a retryable platform error go back to the engine, which retries the step first', async () => {
    const busy = new StepError('Chatwoot answered HTTP 502', { retryable: true });
    await expect(actOnHelpdesk(refusing(busy), () => ({ action: 'resolve' }))).rejects.toBe(busy);
  });

  it('lets anything that is not the step’s failure go back to the engine too', async () => {
    const outage = new Error('Connection is closed.');
    await expect(actOnHelpdesk(refusing(outage), () => ({ action: 'resolve' }))).rejects.toBe(outage);
  });
});
