import { describe, expect, it } from 'vitest';
import { toFile } from './io.ts';

describe('toFile', () => {
  it('keeps step names, sticky notes and the description, and drops the id', () => {
    const workflow = {
      id: 'wf_1',
      name: 'CSAT',
      description: 'Asks for a rating',
      nodes: [{ id: 'start', type: 'trigger.conversationClosed', position: { x: 0, y: 0 }, data: {}, label: 'Closed' }],
      edges: [],
      settings: { reenrollment: { mode: 'always' as const } },
      notes: [{ id: 'n1', text: 'Ask legal', position: { x: 300, y: 0 }, color: 'pink' as const }],
    };
    const { id: _id, ...file } = workflow;
    expect(toFile(workflow)).toEqual(file);
  });

  it('leaves out empty notes and a missing description', () => {
    const file = toFile({ name: 'Bare', nodes: [], edges: [], notes: [] });
    expect(file).not.toHaveProperty('notes');
    expect(file).not.toHaveProperty('description');
  });
});
