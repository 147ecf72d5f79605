import { describe, expect, it } from 'vitest';
import { testDefinitions } from '../testing/test-nodes.ts';
import { askData, csat, type NodeSpec, workflow } from './validate.fixtures.ts';
import { validateWorkflow } from './validate.ts';
import { availableVariables } from './variables.ts';

describe('availableVariables', () => {
  it('lists what every path guarantees at a step', () => {
    const names = (nodeId: string) => availableVariables(csat, nodeId, testDefinitions).map((spec) => spec.name);
    expect(names('start')).toEqual([]);
    expect(names('ask')).toEqual(['contact.name', 'conversation.id', 'contact.email']);
    expect(names('sheet')).toEqual(['contact.name', 'conversation.id', 'contact.email', 'rating']);
    expect(names('thanks')).toEqual(['contact.name', 'conversation.id', 'contact.email', 'rating', 'crm']);
    expect(names('nowhere')).toEqual([]);
  });

  it('keeps only what both branches set when paths join', () => {
    const doc = workflow(
      [
        ['start', 'test.closed'],
        ['ask', 'test.ask', askData],
        ['call', 'test.action', { saveAs: 'crm' }],
        ['join', 'test.say', { text: '' }],
      ],
      [
        ['start', 'ask'],
        ['ask:answered', 'call'],
        ['ask:timeout', 'join'],
        ['call:success', 'join'],
      ],
    );
    expect(availableVariables(doc, 'join', testDefinitions).map((spec) => spec.name)).toEqual([
      'contact.name',
      'conversation.id',
      'contact.email',
    ]);
  });

  it('handles loops through pausing steps', () => {
    const doc = workflow(
      [
        ['start', 'test.closed'],
        ['ask', 'test.ask', askData],
        ['ask2', 'test.ask', { question: 'Why?', saveAs: 'reason' }],
        ['after', 'test.say', { text: '' }],
      ],
      [
        ['start', 'ask'],
        ['ask:answered', 'ask2'],
        ['ask2:invalid', 'ask'],
        ['ask2:answered', 'after'],
      ],
    );
    const names = (nodeId: string) => availableVariables(doc, nodeId, testDefinitions).map((spec) => spec.name);
    expect(names('ask')).toEqual(['contact.name', 'conversation.id', 'contact.email']);
    expect(names('ask2')).toEqual(['contact.name', 'conversation.id', 'contact.email', 'rating']);
    expect(names('after')).toEqual(['contact.name', 'conversation.id', 'contact.email', 'rating', 'reason']);
  });

  it('validates a 300-step workflow with a retry loop at every question', () => {
    const nodes: NodeSpec[] = [['start', 'test.closed']];
    const edges: Array<[string, string]> = [];
    let previous = 'start:next';
    for (let i = 0; i < 100; i += 1) {
      nodes.push([`ask${i}`, 'test.ask', { question: `Q${i} $contact.name`, saveAs: `a${'x'.repeat(i % 5)}` }]);
      nodes.push([`call${i}`, 'test.action', { body: `{"v": $a, "c": "$conversation.id"}` }]);
      nodes.push([`say${i}`, 'test.say', { text: 'retry' }]);
      edges.push([previous, `ask${i}`], [`ask${i}:answered`, `call${i}`], [`ask${i}:invalid`, `say${i}`]);
      edges.push([`say${i}`, `ask${i}`]);
      previous = `call${i}:success`;
    }
    const doc = workflow(nodes, edges);
    expect(validateWorkflow(doc, testDefinitions)).toEqual({ valid: true, problems: [] });
    expect(availableVariables(doc, 'say99', testDefinitions).map((spec) => spec.name)).toEqual([
      'contact.name',
      'conversation.id',
      'contact.email',
      'a',
      'ax',
      'axx',
      'axxx',
      'axxxx',
    ]);
  });
});
