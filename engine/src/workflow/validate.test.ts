import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ValidationProblem } from '../contract/workflows.ts';
import { askData, csat, definitions, workflow } from './validate.fixtures.ts';
import { validateWorkflow } from './validate.ts';

function problems(doc: unknown): ValidationProblem[] {
  return validateWorkflow(doc, definitions).problems;
}

function messages(doc: unknown): string[] {
  return problems(doc).map((problem) => problem.message);
}

describe('validateWorkflow', () => {
  it('accepts a valid workflow', () => {
    expect(validateWorkflow(csat, definitions)).toEqual({ valid: true, problems: [] });
  });

  it('reports document shape problems with their place instead of throwing', () => {
    expect(messages(null)).toEqual(['A workflow is a JSON object with "name", "nodes" and "edges".']);
    expect(messages({ nodes: [], edges: [] })).toEqual([
      'Name: required',
      'The workflow has no trigger: add one (e.g. "Conversation closed") as its first step.',
    ]);
    const doc = {
      name: '',
      nodes: [{ id: 'a', type: 'test.trigger', position: { x: 'left', y: 0 } }, { type: 'test.say' }],
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
        ['start', 'test.trigger'],
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
        ['start', 'test.trigger'],
        ['x', 'constructor'],
      ],
      [['start', 'x']],
    );
    expect(messages(doc)).toContain('Unknown step type "constructor": it is not one of the installed node types.');
  });

  it('reports connections to steps that do not exist', () => {
    const doc = workflow([['start', 'test.trigger']], [['start', 'ghost']]);
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
        ['start', 'test.trigger'],
        ['other', 'test.trigger'],
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
        ['start', 'test.trigger'],
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
        ['start', 'test.trigger'],
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
            ['start', 'test.trigger'],
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
        ['start', 'test.trigger'],
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
        ['start', 'test.trigger'],
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
        ['start', 'test.trigger'],
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
        ['start', 'test.trigger'],
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

  it('requires every variable to be set on every path, naming a path that misses it', () => {
    const doc = workflow(
      [
        ['start', 'test.trigger'],
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
        ['start', 'test.trigger'],
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
        ['start', 'test.trigger'],
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
      ...definitions['test.say']!,
      schema: z.object({ text: z.string() }).refine(() => {
        throw new Error('boom');
      }),
    };
    const doc = workflow(
      [
        ['start', 'test.trigger'],
        ['a', 'test.say', { text: 'x' }],
      ],
      [['start', 'a']],
    );
    expect(validateWorkflow(doc, { ...definitions, 'test.say': fragile }).problems).toEqual([
      { nodeId: 'a', message: 'These settings could not be checked (boom)' },
    ]);
  });
});
