import { describe, expect, it } from 'vitest';
import { testDefinitions } from '../testing/test-nodes.ts';
import { buildGraph, edgeExit, loopsWithoutPause, reversePostorder, targetOfExit } from './graph.ts';
import { askData, workflow } from './validate.fixtures.ts';

describe('edgeExit', () => {
  it('uses the handle, else the only exit, with "next" meaning no handle', () => {
    expect(edgeExit('answered', ['answered', 'invalid'])).toBe('answered');
    expect(edgeExit(undefined, ['next'])).toBe('next');
    expect(edgeExit('next', ['success'])).toBe('success');
    expect(edgeExit(null, ['success', 'failure'])).toBeNull();
  });
});

describe('targetOfExit', () => {
  it('follows the edge of an exit, and ends the run where none leaves', () => {
    const graph = buildGraph(
      workflow(
        [
          ['start', 'test.closed'],
          ['ask', 'test.ask', askData],
          ['a', 'test.say', { text: 'a' }],
        ],
        [
          ['start', 'ask'],
          ['ask:invalid', 'a'],
        ],
      ),
      testDefinitions,
    );
    expect(targetOfExit(graph, 'start', undefined)).toBe('ask');
    expect(targetOfExit(graph, 'start', 'next')).toBe('ask');
    expect(targetOfExit(graph, 'ask', 'invalid')).toBe('a');
    expect(targetOfExit(graph, 'ask', 'answered')).toBeNull();
    expect(targetOfExit(graph, 'a', undefined)).toBeNull();
  });
});

describe('loopsWithoutPause', () => {
  it('finds every loop that avoids pausing steps, even inside a loop that pauses', () => {
    const graph = buildGraph(
      workflow(
        [
          ['start', 'test.closed'],
          ['ask', 'test.ask', askData],
          ['a', 'test.action'],
          ['b', 'test.action'],
          ['c', 'test.say', { text: '' }],
          ['d', 'test.say', { text: '' }],
        ],
        [
          ['start', 'ask'],
          ['ask:answered', 'a'],
          ['a:success', 'b'],
          ['b:success', 'c'],
          ['c', 'a'],
          ['b:failure', 'ask'],
          ['a:failure', 'd'],
        ],
      ),
      testDefinitions,
    );
    expect(loopsWithoutPause(graph).map((loop) => [...loop].sort())).toEqual([['a', 'b', 'c']]);
  });
});

describe('reversePostorder', () => {
  it('puts every step after the steps that lead to it, loops aside', () => {
    const graph = buildGraph(
      workflow(
        [
          ['start', 'test.closed'],
          ['x', 'test.action'],
          ['y', 'test.say', { text: '' }],
          ['z', 'test.say', { text: '' }],
        ],
        [
          ['start', 'x'],
          ['x:success', 'y'],
          ['x:failure', 'z'],
          ['z', 'y'],
        ],
      ),
      testDefinitions,
    );
    const order = reversePostorder(graph, 'start');
    expect(order[0]).toBe('start');
    expect(order.indexOf('z')).toBeLessThan(order.indexOf('y'));
    expect(order.indexOf('x')).toBeLessThan(order.indexOf('z'));
  });
});
