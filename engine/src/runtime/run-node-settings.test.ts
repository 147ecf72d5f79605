import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { NodeRegistry } from '../sdk/define-node.ts';
import { testDefinitions } from '../testing/test-nodes.ts';
import { validateWorkflow } from '../workflow/validate.ts';
import { closedEvent, type Harness, harness, runReaches, workflow } from './test-kit.ts';

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(() => h.cleanup());

const greeting = workflow(
  'greeting',
  [
    { id: 'start', type: 'test.closed', data: {} },
    { id: 'say', type: 'test.action', data: { text: '' } },
  ],
  ['start>say'],
);

/**
 * A version published under one set of node types, run by a worker whose types changed since
 * (an upgrade): what its log says of the step must be what validation says of it in the editor.
 */
async function runUnder(definitions: NodeRegistry) {
  const publisher = await h.start({ worker: false });
  await publisher.api.workflows.create(greeting);
  await publisher.api.workflows.publish('greeting');
  const upgraded = await h.start({ definitions });
  const [runId] = await upgraded.api.triggers.conversationClosed(closedEvent());
  const failed = await runReaches(upgraded, runId!, 'failed');
  const problems = validateWorkflow(greeting, definitions).problems;
  return { failed, problems };
}

describe('a step whose settings its type no longer takes', () => {
  it('fails in the run log with the words validation gives the editor', async () => {
    const action = testDefinitions['test.action']!;
    const stricter = { ...action, schema: z.object({ text: z.string().min(1).meta({ title: 'Message' }) }) };
    const { failed, problems } = await runUnder({ ...testDefinitions, 'test.action': stricter });

    expect(problems).toEqual([{ nodeId: 'say', field: 'text', message: 'Message: must not be empty' }]);
    expect(failed.error).toBe('Message: must not be empty');
    expect(failed.steps.at(-1)).toMatchObject({ nodeId: 'say', outcome: 'failed', error: failed.error });
    expect(h.probe.runsOf('say')).toEqual([]);
  });

  it('names a type no longer installed as validation does', async () => {
    const { 'test.action': _removed, ...definitions } = testDefinitions;
    const { failed, problems } = await runUnder(definitions);

    const unknown = 'Unknown step type "test.action": it is not one of the installed node types.';
    expect(problems).toContainEqual({ nodeId: 'say', message: unknown });
    expect(failed.error).toBe(unknown);
    expect(failed.steps.at(-1)).toMatchObject({ nodeId: 'say', nodeType: 'test.action', outcome: 'failed' });
  });
});
