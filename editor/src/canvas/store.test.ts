import { beforeEach, describe, expect, it } from 'vitest';
import { csatWorkflow } from './csat.fixture.ts';
import { useCanvasStore } from './store.ts';

const store = () => useCanvasStore.getState();

describe('canvas store', () => {
  beforeEach(() => store().load(structuredClone(csatWorkflow)));

  it('adds a node on a named exit, connected by that handle, and undo/redo replay it', () => {
    const id = store().addNodeOnExit('ask', 'invalid', 'sendMessage');

    expect(store().nodes.map((node) => node.id)).toContain(id);
    expect(store().edges).toContainEqual(
      expect.objectContaining({ source: 'ask', sourceHandle: 'invalid', target: id }),
    );
    expect(store().dirty).toBe(true);
    expect(store().openNodeId).toBe(id);

    store().undo();
    expect(store().nodes.map((node) => node.id)).not.toContain(id);
    expect(store().edges.some((edge) => edge.target === id)).toBe(false);

    store().redo();
    expect(store().nodes.map((node) => node.id)).toContain(id);
    expect(store().edges).toContainEqual(
      expect.objectContaining({ source: 'ask', sourceHandle: 'invalid', target: id }),
    );
  });

  it('inserts on a single exit that already leads somewhere, saving edges without sourceHandle', () => {
    const id = store().addNodeOnExit('start', null, 'sendMessage');
    const { edges } = store().toWorkflow();

    expect(edges).toContainEqual({ id: expect.any(String), source: 'start', target: id });
    expect(edges).toContainEqual({ id: expect.any(String), source: id, target: 'ask' });
    expect(edges.some((edge) => edge.source === 'start' && edge.target === 'ask')).toBe(false);
    const ask = store().nodes.find((node) => node.id === 'ask');
    expect(ask?.position.y).toBeGreaterThan(csatWorkflow.nodes[1]?.position.y ?? Number.POSITIVE_INFINITY);
  });

  it('coalesces typing in one node into one undo step, and a new change clears redo', () => {
    // A node's data is typed by its node type: narrow by `type` to read a field.
    const question = () => {
      const node = store().nodes.find((candidate) => candidate.id === 'ask');
      if (node?.type !== 'askQuestion') throw new Error('fixture has no ask node');
      return node.data.question;
    };
    const ask = store().nodes.find((node) => node.id === 'ask');
    if (!ask) throw new Error('fixture has no ask node');
    const before = question();
    store().updateNodeData('ask', { ...ask.data, question: 'H' });
    store().updateNodeData('ask', { ...ask.data, question: 'Hi' });
    store().undo();
    expect(question()).toBe(before);

    store().redo();
    expect(question()).toBe('Hi');
    store().undo();
    store().addNode('wait', { x: 0, y: 600 });
    expect(store().future).toHaveLength(0);
  });

  it('deletes the selection with its edges; undo restores both', () => {
    store().selectNode('sheet');
    store().deleteSelection();
    expect(store().nodes.some((node) => node.id === 'sheet')).toBe(false);
    expect(store().edges.map((edge) => edge.id)).toEqual(['e1']);

    store().undo();
    expect(store().nodes.some((node) => node.id === 'sheet')).toBe(true);
    expect(store().edges.map((edge) => edge.id)).toEqual(['e1', 'e2', 'e3']);
  });

  it('copies and pastes nodes with fresh ids and their inner edges', () => {
    store().selectNode('sheet');
    store().copySelection();
    store().paste();
    const pasted = store().nodes.filter((node) => node.selected);
    expect(pasted).toHaveLength(1);
    expect(pasted[0]?.id).not.toBe('sheet');
    expect(pasted[0]?.type).toBe('googleSheets.addRow');
  });

  it('highlights a path without touching the draft or the history', () => {
    store().highlightPath([
      { nodeId: 'start', exit: 'next' },
      { nodeId: 'ask' },
      { nodeId: 'ask', exit: 'answered' },
      { nodeId: 'sheet' },
    ]);
    expect([...store().highlight.nodes]).toEqual(['start', 'ask', 'sheet']);
    expect([...store().highlight.edges]).toEqual(['e1', 'e2']);
    expect(store().dirty).toBe(false);
    expect(store().past).toHaveLength(0);
    store().clearHighlight();
    expect(store().highlight.nodes.size).toBe(0);
  });

  it('lights the edge of the exit a step took when two of its exits lead to the same step', () => {
    const apology = store().addNodeOnExit('ask', 'invalid', 'sendMessage');
    store().connect({ source: 'ask', sourceHandle: 'timeout', target: apology, targetHandle: null });
    const byExit = (exit: string) =>
      store().edges.find((edge) => edge.source === 'ask' && edge.sourceHandle === exit)?.id;
    store().highlightPath([{ nodeId: 'ask', exit: 'timeout' }, { nodeId: apology }]);
    expect([...store().highlight.edges]).toEqual([byExit('timeout')]);
    expect(byExit('invalid')).toBeDefined();
  });

  it('keeps the edge of a branch whose id is renamed', () => {
    const branch = store().addNodeOnExit('ask', 'invalid', 'branch');
    const when = [{ variable: '$rating', operator: 'lte', value: 2 }];
    store().updateNodeData(branch, { branches: [{ id: 'low', when }] });
    store().connect({ source: branch, sourceHandle: 'low', target: 'crm', targetHandle: null });

    store().updateNodeData(branch, { branches: [{ id: 'unhappy', when }] });

    expect(store().edges).toContainEqual(
      expect.objectContaining({ source: branch, sourceHandle: 'unhappy', target: 'crm' }),
    );
    expect(store().edges.some((edge) => edge.sourceHandle === 'low')).toBe(false);
  });

  it('replaces the edge of an exit when it is connected again', () => {
    store().connect({ source: 'ask', sourceHandle: 'answered', target: 'crm', targetHandle: null });
    const fromAnswered = store().edges.filter((edge) => edge.source === 'ask' && edge.sourceHandle === 'answered');
    expect(fromAnswered.map((edge) => edge.target)).toEqual(['crm']);
  });
});
