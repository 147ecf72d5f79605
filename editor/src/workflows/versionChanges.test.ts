import { describe, expect, it } from 'vitest';
import { changeLines } from './versionChanges.ts';

const none = {
  added: [],
  removed: [],
  changed: [],
  edgesAdded: 0,
  edgesRemoved: 0,
  nameChanged: false,
  settingsChanged: false,
  notesChanged: false,
};

describe('changeLines', () => {
  it('names steps by their name, else their type, with the id', () => {
    expect(
      changeLines({
        ...none,
        added: [{ id: 'note', type: 'helpdesk.note', label: 'Tell the agent' }],
        removed: [{ id: 'thanks', type: 'sendMessage', label: null }],
        changed: [{ id: 'ask', type: 'askQuestion', label: 'Rating', fields: ['data', 'label'] }],
        edgesAdded: 1,
        edgesRemoved: 2,
        notesChanged: true,
      }),
    ).toEqual([
      'Added: Tell the agent (note)',
      'Removed: Send message (thanks)',
      'Changed: Rating (ask): settings, name',
      '1 connection added, 2 connections removed',
      'Also changed: sticky notes',
    ]);
  });

  it('says when nothing but positions changed', () => {
    expect(changeLines(none)).toEqual(['No changes to the steps (only positions on the canvas)']);
  });
});
