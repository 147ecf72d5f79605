import { describe, expect, it } from 'vitest';
import { type CommandSources, commandResults } from './commandResults.ts';

const sources: CommandSources = {
  types: [
    { type: 'sendMessage', label: 'Send message', description: 'Sends a message to the contact', group: 'Actions' },
    { type: 'wait', label: 'Wait', description: 'Pauses the run for a while', group: 'Logic' },
    { type: 'branch', label: 'Branch', description: 'Takes the first branch whose conditions hold', group: 'Logic' },
  ],
  steps: [
    { id: 'ask', typeLabel: 'Ask a question', summary: 'How satisfied are you?' },
    { id: 'thanks', name: 'Say thanks', typeLabel: 'Send message', summary: 'Thanks for your rating' },
  ],
  workflows: [
    { id: 'csat-google-sheets', name: 'CSAT survey to Google Sheets' },
    { id: 'low-score-alert', name: 'Low score alert' },
  ],
};

const labels = (query: string) => commandResults(query, sources).map((command) => `${command.kind}:${command.label}`);

describe('commandResults: what Ctrl/Cmd+K finds', () => {
  it('offers the steps, then the types to add, then the workflows, with no query', () => {
    expect(labels('')).toEqual([
      'step:ask',
      'step:Say thanks',
      'add:Send message',
      'add:Wait',
      'add:Branch',
      'workflow:CSAT survey to Google Sheets',
      'workflow:Low score alert',
    ]);
  });

  it('finds a step type to add by its name, case-insensitively', () => {
    expect(labels('WAIT')).toEqual(['add:Wait']);
  });

  it('finds a step by id, by its name, by its type and by what it says', () => {
    expect(labels('ask')).toEqual(['step:ask']);
    expect(labels('say')).toEqual(['step:Say thanks']);
    expect(labels('satisfied')).toEqual(['step:ask']);
    // The step named after a type comes with that type; the step's own name wins ties.
    expect(labels('send')).toEqual(['add:Send message', 'step:Say thanks']);
  });

  it('finds a workflow by any words of its name, in any order', () => {
    expect(labels('sheets csat')).toEqual(['workflow:CSAT survey to Google Sheets']);
    expect(labels('alert')).toEqual(['workflow:Low score alert']);
  });

  it('puts labels starting with the query before labels merely containing it', () => {
    const found = commandResults('s', sources).map((command) => command.label);
    expect(found.indexOf('Send message')).toBeLessThan(found.indexOf('Wait'));
  });

  it('finds nothing for words nothing has', () => {
    expect(labels('zebra')).toEqual([]);
  });
});
