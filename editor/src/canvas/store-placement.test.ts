import { beforeEach, describe, expect, it } from 'vitest';
import { csatWorkflow } from './csat.fixture.ts';
import { type Box, boxOf } from './layout.ts';
import { type FlowNode, useCanvasStore } from './store.ts';

const store = () => useCanvasStore.getState();

const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The pairs of steps whose boxes share area, by id. */
function overlapping(nodes: readonly FlowNode[]): string[] {
  return nodes.flatMap((a, i) =>
    nodes.slice(i + 1).flatMap((b) => (overlaps(boxOf(a), boxOf(b)) ? [`${a.id}/${b.id}`] : [])),
  );
}

describe('new steps never land on an existing step', () => {
  beforeEach(() => store().load(structuredClone(csatWorkflow)));

  it('a step added from the palette where a step already is moves next to it', () => {
    const ask = store().nodes.find((node) => node.id === 'ask');
    if (!ask) throw new Error('fixture has no ask node');
    const id = store().addNode('wait', ask.position);
    expect(store().nodes.find((node) => node.id === id)?.position).not.toEqual(ask.position);
    expect(overlapping(store().nodes)).toEqual([]);
  });

  it('a step added on an exit whose spot below is taken goes beside it', () => {
    // The same exit twice: the second step's spot below is where the first went.
    const first = store().addNodeOnExit('crm', 'failure', 'sendMessage');
    store().openNode(null);
    const second = store().addNodeOnExit('crm', 'failure', 'wait');
    expect(store().nodes.map((node) => node.id)).toEqual(expect.arrayContaining([first, second]));
    expect(overlapping(store().nodes)).toEqual([]);
  });

  it('steps pushed down to make room for an inserted step move on, off a step they would land on', () => {
    // A loose step just below the last one, where inserting after the trigger pushes it.
    const crm = store().nodes.find((node) => node.id === 'crm');
    if (!crm) throw new Error('fixture has no crm node');
    store().addNode('wait', { x: crm.position.x, y: crm.position.y + 190 });
    expect(overlapping(store().nodes)).toEqual([]);

    const inserted = store().addNodeOnExit('start', null, 'sendMessage');
    expect(store().edges).toContainEqual(expect.objectContaining({ source: inserted, target: 'ask' }));
    expect(overlapping(store().nodes)).toEqual([]);
  });

  it('pasting twice puts each copy clear of the steps and of the copy before', () => {
    store().selectNode('sheet');
    store().copySelection();
    store().paste();
    store().paste();
    expect(store().nodes).toHaveLength(csatWorkflow.nodes.length + 2);
    expect(overlapping(store().nodes)).toEqual([]);
  });
});
