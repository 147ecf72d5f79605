import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StepError } from '../sdk/errors.ts';
import type { NodeRunner } from '../sdk/runner.ts';
import { STEP_DATA_TEXT_BYTES } from '../sdk/step-data.ts';
import { testRunners } from '../testing/test-nodes.ts';
import { closedEvent, type Harness, harness, runReaches, workflow } from './test-kit.ts';

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(() => h.cleanup());

describe('what a step sent and received, in the run log', () => {
  it('keeps it on the step’s entry, long text cut, also from a failed attempt, and nothing on steps without', async () => {
    let attempts = 0;
    // A call that fails once (the engine retries it), then answers with a long body.
    const calling: NodeRunner<unknown> = {
      async run() {
        attempts += 1;
        const sent = { method: 'POST', attempt: attempts };
        if (attempts === 1) {
          throw new StepError('CRM answered HTTP 503', { retryable: true, data: { sent, received: { status: 503 } } });
        }
        return { type: 'exit', sent, received: { status: 200, body: 'x'.repeat(STEP_DATA_TEXT_BYTES + 100) } };
      },
    };
    const rt = await h.start({ runners: { ...testRunners(h.probe), 'test.note': calling } });
    await rt.api.workflows.create(
      workflow(
        'data',
        [
          { id: 'start', type: 'test.closed', data: {} },
          { id: 'crm', type: 'test.note', data: { text: 'call' } },
        ],
        ['start>crm'],
      ),
    );
    await rt.api.workflows.publish('data');
    const [runId] = await rt.api.triggers.conversationClosed(closedEvent());
    const run = await runReaches(rt, runId!, 'completed');

    expect(run.steps[0]).not.toHaveProperty('sent');
    expect(run.steps[0]).not.toHaveProperty('received');
    expect(run.steps.slice(1)).toMatchObject([
      { nodeId: 'crm', outcome: 'failed', sent: { attempt: 1 }, received: { status: 503 } },
      {
        nodeId: 'crm',
        outcome: 'exited',
        sent: { method: 'POST', attempt: 2 },
        received: {
          status: 200,
          body: `${'x'.repeat(STEP_DATA_TEXT_BYTES)}… (truncated, ${STEP_DATA_TEXT_BYTES + 100} bytes)`,
        },
      },
    ]);
  });
});
