import { describe, expect, it } from 'vitest';
import type { Workflow } from './schema.ts';
import { diffVersions } from './version-diff.ts';

const base: Workflow = {
  id: 'wf',
  name: 'CSAT',
  settings: { reenrollment: { mode: 'always' } },
  nodes: [
    { id: 'start', type: 'trigger.conversationClosed', position: { x: 0, y: 0 }, data: {} },
    { id: 'ask', type: 'askQuestion', position: { x: 0, y: 150 }, data: { question: 'How was it?' } },
    { id: 'thanks', type: 'sendMessage', position: { x: 0, y: 300 }, data: { text: 'Thanks' } },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'ask' },
    { id: 'e2', source: 'ask', sourceHandle: 'answered', target: 'thanks' },
  ],
};

describe('diffVersions', () => {
  it('finds nothing between equal versions, even with steps moved and edges renamed', () => {
    const moved = {
      ...base,
      nodes: base.nodes.map((node) => ({ ...node, position: { x: 50, y: node.position.y } })),
      edges: base.edges.map((edge) => ({ ...edge, id: `x-${edge.id}` })),
    };
    expect(diffVersions(base, moved)).toEqual({
      added: [],
      removed: [],
      changed: [],
      edgesAdded: 0,
      edgesRemoved: 0,
      nameChanged: false,
      settingsChanged: false,
      notesChanged: false,
    });
  });

  it('names steps added, removed and changed with their labels and what changed', () => {
    const next: Workflow = {
      ...base,
      nodes: [
        base.nodes[0]!,
        { ...base.nodes[1]!, label: 'Ask for a rating', data: { question: 'Rate us' } },
        { id: 'note', type: 'helpdesk.note', position: { x: 0, y: 450 }, data: {}, label: 'Note for the agent' },
      ],
      edges: [base.edges[0]!, { id: 'e3', source: 'ask', sourceHandle: 'answered', target: 'note' }],
    };
    const changes = diffVersions(base, next);
    expect(changes.added).toEqual([{ id: 'note', type: 'helpdesk.note', label: 'Note for the agent' }]);
    expect(changes.removed).toEqual([{ id: 'thanks', type: 'sendMessage', label: null }]);
    expect(changes.changed).toEqual([
      { id: 'ask', type: 'askQuestion', label: 'Ask for a rating', fields: ['data', 'label'] },
    ]);
    expect(changes).toMatchObject({ edgesAdded: 1, edgesRemoved: 1, nameChanged: false, settingsChanged: false });
  });

  it('reports a changed type, name, settings and sticky notes', () => {
    const next: Workflow = {
      ...base,
      name: 'CSAT v2',
      settings: { reenrollment: { mode: 'once' } },
      notes: [{ id: 'n1', text: 'Check with legal', position: { x: 0, y: 0 } }],
      nodes: base.nodes.map((node) => (node.id === 'thanks' ? { ...node, type: 'helpdesk.note' } : node)),
    };
    const changes = diffVersions(base, next);
    expect(changes.changed).toEqual([{ id: 'thanks', type: 'helpdesk.note', label: null, fields: ['type'] }]);
    expect(changes).toMatchObject({ nameChanged: true, settingsChanged: true, notesChanged: true });
  });
});
