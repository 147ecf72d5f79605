import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ValidationProblem } from '../contract/workflows.ts';
import { testDefinitions } from '../testing/test-nodes.ts';
import { askData, csat, workflow } from './validate.fixtures.ts';
import { validateWorkflow } from './validate.ts';

function problems(doc: unknown): ValidationProblem[] {
  return validateWorkflow(doc, testDefinitions).problems;
}

function messages(doc: unknown): string[] {
  return problems(doc).map((problem) => problem.message);
}

describe('validateWorkflow', () => {
  it('accepts a valid workflow', () => {
    expect(validateWorkflow(csat, testDefinitions)).toEqual({ valid: true, problems: [] });
  });

  it('reports document shape problems with their place instead of throwing', () => {
    expect(messages(null)).toEqual(['A workflow is a JSON object with "name", "nodes" and "edges".']);
    expect(messages({ nodes: [], edges: [] })).toEqual([
      'Name: required',
      'The workflow has no trigger: add one (e.g. "Conversation closed") as its first step.',
    ]);
    const doc = {
      name: '',
      nodes: [{ id: 'a', type: 'test.closed', position: { x: 'left', y: 0 } }, { type: 'test.say' }],
      edges: [{ id: 'e1', source: 'a' }],
    };
    expect(problems(doc)).toEqual(
      expect.arrayContaining([
        { message: 'Name: must not be empty' },
        { nodeId: 'a', message: 'Position › X: must be a number' },
        { message: 'Step #2 › Id: required' },
        { edgeId: 'e1', message: 'Target: required' },
      ]),
    );
  });

  it('reports unknown node types and duplicate ids', () => {
    const doc = workflow(
      [
        ['start', 'test.closed'],
        ['x', 'test.teleport'],
        ['start', 'test.say', { text: 'hi' }],
      ],
      [
        ['start', 'x'],
        ['start', 'x'],
      ],
    );
    doc.edges[1]!.id = 'e1';
    expect(problems(doc)).toEqual(
      expect.arrayContaining([
        { nodeId: 'x', message: 'Unknown step type "test.teleport": it is not one of the installed node types.' },
        { nodeId: 'start', message: 'Two steps share the id "start": give each step its own id.' },
        { edgeId: 'e1', message: 'Two connections share the id "e1": give each its own id.' },
      ]),
    );
  });

  it('does not take inherited properties of the registry for node types', () => {
    const doc = workflow(
      [
        ['start', 'test.closed'],
        ['x', 'constructor'],
      ],
      [['start', 'x']],
    );
    expect(messages(doc)).toContain('Unknown step type "constructor": it is not one of the installed node types.');
  });

  it('reports connections to steps that do not exist', () => {
    const doc = workflow([['start', 'test.closed']], [['start', 'ghost']]);
    expect(problems(doc)).toEqual([
      { edgeId: 'e1', message: 'This connection leads to "ghost", which is not a step of this workflow.' },
    ]);
  });

  it('needs exactly one trigger, with nothing leading into it', () => {
    expect(messages(workflow([['a', 'test.say', { text: 'hi' }]], []))).toContain(
      'The workflow has no trigger: add one (e.g. "Conversation closed") as its first step.',
    );
    const two = workflow(
      [
        ['start', 'test.closed'],
        ['other', 'test.closed'],
      ],
      [],
    );
    expect(problems(two)).toEqual([
      {
        nodeId: 'other',
        message:
          'A workflow has exactly one trigger, and "start" is already one: remove this trigger or make it a separate workflow.',
      },
    ]);
    const into = workflow(
      [
        ['start', 'test.closed'],
        ['ask', 'test.ask', askData],
      ],
      [
        ['start', 'ask'],
        ['ask:timeout', 'start'],
      ],
    );
    expect(problems(into)).toEqual([
      {
        nodeId: 'start',
        edgeId: 'e2',
        message: '"start" is the trigger, where the workflow starts: no connection may lead into it.',
      },
    ]);
  });

  it("checks each node's data by its schema, naming the field by its title", () => {
    const doc = workflow(
      [
        ['start', 'test.closed'],
        ['ask', 'test.ask', { question: '  ', saveAs: 'Rating!', retries: 1.5 }],
        ['sheet', 'test.action', { columns: [{ column: 'A', value: 'x' }, { column: 'B' }] }],
      ],
      [
        ['start', 'ask'],
        ['ask:answered', 'sheet'],
      ],
    );
    expect(problems(doc)).toEqual([
      { nodeId: 'ask', field: 'question', message: 'Question: must not be empty' },
      { nodeId: 'ask', field: 'saveAs', message: 'Save as: use lowercase letters only' },
      { nodeId: 'ask', field: 'retries', message: 'Retries: must be a whole number' },
      { nodeId: 'sheet', field: 'columns.1.value', message: 'Columns #2 › Value: required' },
    ]);
    expect(
      messages(
        workflow(
          [
            ['start', 'test.closed'],
            ['ask', 'test.ask'],
          ],
          [['start', 'ask']],
        ),
      ),
    ).toContain('Question: required');
  });

  it('checks that each connection leaves by an exit the step has, one step per exit', () => {
    const doc = workflow(
      [
        ['start', 'test.closed'],
        ['ask', 'test.ask', askData],
        ['a', 'test.say', { text: 'a' }],
        ['b', 'test.say', { text: 'b' }],
        ['c', 'test.say', { text: 'c' }],
        ['d', 'test.end'],
      ],
      [
        ['start:next', 'ask'],
        ['ask', 'a'],
        ['ask:maybe', 'b'],
        ['ask:invalid', 'b'],
        ['ask:invalid', 'c'],
        ['a', 'd'],
        ['d', 'c'],
      ],
    );
    expect(problems(doc)).toEqual([
      {
        nodeId: 'ask',
        edgeId: 'e2',
        message: 'This connection leaves "ask" without naming its exit: pick one of "answered", "invalid", "timeout".',
      },
      {
        nodeId: 'ask',
        edgeId: 'e3',
        message: '"ask" has no exit "maybe": use one of "answered", "invalid", "timeout".',
      },
      {
        nodeId: 'ask',
        edgeId: 'e5',
        message: 'The "invalid" exit of "ask" leads to two steps ("b" and "c"): an exit leads to one step only.',
      },
      { nodeId: 'd', edgeId: 'e7', message: '"d" ends the workflow: it cannot lead to another step.' },
    ]);
  });

  it('reports steps the trigger cannot reach', () => {
    const doc = workflow(
      [
        ['start', 'test.closed'],
        ['a', 'test.say', { text: 'a' }],
        ['island', 'test.say', { text: 'b' }],
      ],
      [['start', 'a']],
    );
    expect(problems(doc)).toEqual([
      {
        nodeId: 'island',
        message: 'This step can never run: nothing leads to it from the trigger "start". Connect it or delete it.',
      },
    ]);
  });

  it('rejects loops that never wait, and accepts loops through a pausing step', () => {
    const busy = workflow(
      [
        ['start', 'test.closed'],
        ['a', 'test.action'],
        ['b', 'test.say', { text: 'b' }],
        ['self', 'test.action'],
      ],
      [
        ['start', 'a'],
        ['a:success', 'b'],
        ['b', 'a'],
        ['a:failure', 'self'],
        ['self:failure', 'self'],
      ],
    );
    const loopMessage = (what: string) =>
      `${what} with no step that waits, so it would run forever: make the loop pass through a step that waits (Ask question, Wait).`;
    expect(problems(busy)).toEqual(
      expect.arrayContaining([
        { nodeId: 'a', message: loopMessage('"a" and "b" form a loop') },
        { nodeId: 'b', message: loopMessage('"a" and "b" form a loop') },
        { nodeId: 'self', message: loopMessage('"self" leads back to itself') },
      ]),
    );
    expect(problems(busy)).toHaveLength(3);

    const reAsk = workflow(
      [
        ['start', 'test.closed'],
        ['ask', 'test.ask', askData],
        ['sorry', 'test.say', { text: 'Sorry $contact.name, once more' }],
        ['done', 'test.say', { text: 'Got $rating' }],
      ],
      [
        ['start', 'ask'],
        ['ask:invalid', 'sorry'],
        ['sorry', 'ask'],
        ['ask:answered', 'done'],
      ],
    );
    expect(problems(reAsk)).toEqual([]);
  });

  it('requires a Wait on a loop to last at least a minute, unless a reply paces the loop', () => {
    const waitFor = (value: number, unit: string) => ({ duration: { value, unit } });
    const loopThroughWait = (value: number, unit: string) =>
      workflow(
        [
          ['start', 'test.closed'],
          ['say', 'test.say', { text: 'Still there?' }],
          ['pause', 'test.wait', waitFor(value, unit)],
        ],
        [
          ['start', 'say'],
          ['say', 'pause'],
          ['pause', 'say'],
        ],
      );
    expect(problems(loopThroughWait(0.0001, 'seconds'))).toEqual([
      {
        nodeId: 'pause',
        field: 'duration',
        message:
          'This Wait is on a loop back to an earlier step, so it must last at least 1 minute (it lasts 0.0001 seconds).',
      },
    ]);
    expect(problems(loopThroughWait(59, 'seconds'))).toHaveLength(1);
    expect(problems(loopThroughWait(60, 'seconds'))).toEqual([]);
    expect(problems(loopThroughWait(1, 'minutes'))).toEqual([]);

    // A Wait that is on no loop, or on a loop that a longer Wait or a reply holds, may be short.
    const paced = workflow(
      [
        ['start', 'test.closed'],
        ['brief', 'test.wait', waitFor(1, 'seconds')],
        ['ask', 'test.ask', askData],
        ['short', 'test.wait', waitFor(5, 'seconds')],
        ['long', 'test.wait', waitFor(1, 'hours')],
        ['again', 'test.wait', waitFor(2, 'seconds')],
      ],
      [
        ['start', 'brief'],
        ['brief', 'ask'],
        ['ask:invalid', 'short'],
        ['short', 'ask'],
        ['ask:answered', 'long'],
        ['long', 'again'],
        ['again', 'ask'],
      ],
    );
    expect(problems(paced)).toEqual([]);
  });

  it("requires an Ask question's timeout to last a minute when its timeout exit loops back", () => {
    const reAskOnSilence = (timeout: { value: number; unit: string } | undefined) =>
      workflow(
        [
          ['start', 'test.closed'],
          ['ask', 'test.ask', { ...askData, ...(timeout ? { timeout } : {}) }],
          ['nudge', 'test.say', { text: 'Are you there?' }],
        ],
        [
          ['start', 'ask'],
          ['ask:timeout', 'nudge'],
          ['nudge', 'ask'],
        ],
      );
    expect(problems(reAskOnSilence({ value: 5, unit: 'seconds' }))).toEqual([
      {
        nodeId: 'ask',
        field: 'timeout',
        message:
          'The "timeout" exit of this Ask leads back to an earlier step, so "Give up after" must be at least 1 minute (it is 5 seconds).',
      },
    ]);
    expect(problems(reAskOnSilence({ value: 1, unit: 'days' }))).toEqual([]);
    // Without a timeout the exit never comes: the run waits for the reply.
    expect(problems(reAskOnSilence(undefined))).toEqual([]);
  });

  it('reports both a loop that never waits and a too short Wait on the same tangle', () => {
    const doc = workflow(
      [
        ['start', 'test.closed'],
        ['a', 'test.action'],
        ['b', 'test.say', { text: 'b' }],
        ['pause', 'test.wait', { duration: { value: 1, unit: 'seconds' } }],
      ],
      [
        ['start', 'a'],
        ['a:success', 'b'],
        ['b', 'a'],
        ['a:failure', 'pause'],
        ['pause', 'a'],
      ],
    );
    expect(problems(doc).map((problem) => problem.nodeId)).toEqual(['a', 'b', 'pause']);
  });

  it('refuses "__proto__" as a step id, which a run cannot count visits under', () => {
    const doc = workflow(
      [
        ['start', 'test.closed'],
        ['__proto__', 'test.say', { text: 'hi' }],
      ],
      [['start', '__proto__']],
    );
    expect(problems(doc)).toEqual([
      { nodeId: '__proto__', message: 'The id "__proto__" is reserved: give this step another id.' },
    ]);
  });

  it('requires every variable to be set on every path, naming a path that misses it', () => {
    const doc = workflow(
      [
        ['start', 'test.closed'],
        ['ask', 'test.ask', askData],
        ['thanks', 'test.say', { text: 'Thanks' }],
        ['alert', 'test.action', { body: '{"rating": $rating, "who": "$contact.name"}' }],
      ],
      [
        ['start', 'ask'],
        ['ask:answered', 'thanks'],
        ['ask:invalid', 'alert'],
        ['thanks', 'alert'],
      ],
    );
    expect(problems(doc)).toEqual([
      {
        nodeId: 'alert',
        field: 'body',
        message:
          '"$rating" is not set on every path to this step: the path "start" → "ask" (invalid) → "alert" does not set it.',
      },
    ]);
  });

  it('reports a variable no step sets, and a step reading its own output', () => {
    const doc = workflow(
      [
        ['start', 'test.closed'],
        ['sheet', 'test.action', { saveAs: 'crm', columns: [{ column: 'A', value: '$ratng' }], body: '$crm.status' }],
      ],
      [['start', 'sheet']],
    );
    expect(problems(doc)).toEqual([
      {
        nodeId: 'sheet',
        field: 'columns.0.value',
        message: '"$ratng" is not set by any step of this workflow: check the spelling, or save it in an earlier step.',
      },
      {
        nodeId: 'sheet',
        field: 'body',
        message: '"$crm.status" is not set on every path to this step: the path "start" → "sheet" does not set it.',
      },
    ]);
  });

  it('ignores $ that is not a variable and escaped $$', () => {
    const doc = workflow(
      [
        ['start', 'test.closed'],
        ['a', 'test.say', { text: 'costs $5, $$rating is literal' }],
      ],
      [['start', 'a']],
    );
    expect(problems(doc)).toEqual([]);
  });
});

describe('validateWorkflow with a schema that throws', () => {
  it('reports the step instead of throwing', () => {
    const fragile = {
      ...testDefinitions['test.say']!,
      schema: z.object({ text: z.string() }).refine(() => {
        throw new Error('boom');
      }),
    };
    const doc = workflow(
      [
        ['start', 'test.closed'],
        ['a', 'test.say', { text: 'x' }],
      ],
      [['start', 'a']],
    );
    expect(validateWorkflow(doc, { ...testDefinitions, 'test.say': fragile }).problems).toEqual([
      { nodeId: 'a', message: 'These settings could not be checked (boom)' },
    ]);
  });
});
