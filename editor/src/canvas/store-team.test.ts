import { validateWorkflow } from '@convoflow/engine';
import { definitions } from '@convoflow/nodes';
import { beforeEach, describe, expect, it } from 'vitest';
import { csatWorkflow } from './csat.fixture.ts';
import { useCanvasStore } from './store.ts';

const store = () => useCanvasStore.getState();

describe('canvas store: step names and sticky notes', () => {
  beforeEach(() => store().load(structuredClone(csatWorkflow)));

  it('names a step, saves the trimmed name as its label, and undo takes it back', () => {
    store().renameNode('ask', 'Ask ');
    store().renameNode('ask', 'Ask for a rating ');
    expect(
      store()
        .toWorkflow()
        .nodes.find((node) => node.id === 'ask')?.label,
    ).toBe('Ask for a rating');
    expect(store().dirty).toBe(true);
    // Typing a name is one undo step, not one per key.
    store().undo();
    expect(
      store()
        .toWorkflow()
        .nodes.find((node) => node.id === 'ask'),
    ).not.toHaveProperty('label');
  });

  it('clears a name left blank, and keeps the name through copy and paste', () => {
    store().renameNode('ask', 'Rating');
    store().selectNode('ask');
    store().copySelection();
    store().paste();
    const labels = store()
      .toWorkflow()
      .nodes.filter((node) => node.label === 'Rating');
    expect(labels).toHaveLength(2);
    store().renameNode('ask', '   ');
    expect(
      store()
        .toWorkflow()
        .nodes.find((node) => node.id === 'ask'),
    ).not.toHaveProperty('label');
  });

  it('adds, edits and deletes a sticky note, which saves as a note and never as a step', () => {
    const id = store().addSticky({ x: 400, y: 20 });
    store().updateSticky(id, 'Legal wants the wording checked');
    const saved = store().toWorkflow();
    expect(saved.notes).toEqual([
      { id, text: 'Legal wants the wording checked', position: { x: 400, y: 20 }, width: 200, height: 120 },
    ]);
    expect(saved.nodes.map((node) => node.id)).not.toContain(id);
    expect(validateWorkflow(saved, definitions).valid).toBe(true);

    store().deleteSticky(id);
    expect(store().toWorkflow()).not.toHaveProperty('notes');
    store().undo();
    expect(store().toWorkflow().notes?.[0]?.text).toBe('Legal wants the wording checked');
  });

  it('loads notes and a description and gives them back unchanged; moving a note marks the draft unsaved', () => {
    const notes = [{ id: 'n1', text: 'Hi', position: { x: 1, y: 2 }, width: 240, height: 90, color: 'blue' as const }];
    store().load({ ...structuredClone(csatWorkflow), description: 'What it does', notes });
    expect(store().toWorkflow()).toMatchObject({ description: 'What it does', notes });

    store().onNodesChange([{ type: 'position', id: 'n1', position: { x: 50, y: 60 }, dragging: false }]);
    expect(store().dirty).toBe(true);
    expect(store().toWorkflow().notes?.[0]?.position).toEqual({ x: 50, y: 60 });
    expect(store().nodes.map((node) => node.id)).not.toContain('n1');
  });

  it('puts a new note on free ground, not over a step', () => {
    const ask = store().nodes.find((node) => node.id === 'ask');
    const id = store().addSticky({ ...(ask?.position ?? { x: 0, y: 0 }) });
    const note = store().stickies.find((sticky) => sticky.id === id);
    expect(note?.position).not.toEqual(ask?.position);
  });

  it('gives a note whose id a step or another note has a fresh id, so the canvas never shows two of one id', () => {
    const note = { text: 'x', position: { x: 0, y: 0 } };
    store().load({
      ...structuredClone(csatWorkflow),
      notes: [
        { ...note, id: 'ask' },
        { ...note, id: 'n' },
        { ...note, id: 'n' },
      ],
    });
    const ids = store().stickies.map((sticky) => sticky.id);
    expect(new Set([...ids, ...store().nodes.map((node) => node.id)]).size).toBe(ids.length + store().nodes.length);
    expect(ids[1]).toBe('n');
  });

  it('deletes selected notes with the selection', () => {
    const id = store().addSticky({ x: 0, y: 0 });
    store().onNodesChange([{ type: 'select', id, selected: true }]);
    store().deleteSelection();
    expect(store().stickies).toEqual([]);
  });
});
