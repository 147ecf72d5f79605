import { describe, expect, it } from 'vitest';
import type { RunState } from './run-state.ts';
import { surveyFacts } from './survey-facts.ts';

const run: RunState = {
  id: 'r1',
  test: false,
  workflowId: 'wf',
  workflowVersion: 1,
  trigger: 'conversation.closed',
  conversationId: 'chatwoot:helpdesk:10',
  contactId: 'chatwoot:helpdesk:12',
  status: 'running',
  currentNodeId: 'ask',
  createdAt: 0,
  updatedAt: 0,
  endedAt: null,
  scope: {
    conversation: { id: 'chatwoot:helpdesk:10', channel: 'Channel::Whatsapp', connection: 'helpdesk', inbox: '2' },
    assignee: { id: '7', name: 'Grace' },
  },
  visits: {},
  wait: null,
  waitSeq: 0,
  nodeState: null,
  inflight: null,
  channel: { kind: 'chatwoot', connectionId: 'helpdesk', conversation: '10', contact: '12', inbox: '2' },
};

describe('the survey facts of a run', () => {
  it('name the channel connection the run is bound to and its inbox there', () => {
    expect(surveyFacts(run, 'ask')).toMatchObject({
      workflowId: 'wf',
      nodeId: 'ask',
      agent: 'Grace',
      channel: 'Channel::Whatsapp',
      connection: 'helpdesk',
      inbox: '2',
    });
  });

  it('name the connection of a shortcut run, whose variables name none, and no inbox when it came without one', () => {
    const shortcut: RunState = {
      ...run,
      trigger: 'shortcut',
      scope: { conversation: { id: 'whatsapp:main:3361' } },
      channel: { kind: 'whatsapp', connectionId: 'main', conversation: '3361', contact: '3361' },
    };
    const facts = surveyFacts(shortcut, 'ask');
    expect(facts.connection).toBe('main');
    expect(facts).not.toHaveProperty('inbox');
  });

  it('name no connection for a run of the generic webhook, whatever its event said', () => {
    const { channel: _, ...generic } = run;
    const facts = surveyFacts(generic, 'ask');
    expect(facts).not.toHaveProperty('connection');
    expect(facts).not.toHaveProperty('inbox');
  });
});
