import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ConnectionSummary } from '../contract/connections.ts';
import { defineChannel } from '../sdk/define-channel.ts';
import { DEFAULT_EXIT, defineNode, type NodeRegistry } from '../sdk/define-node.ts';
import { workflow } from '../workflow/validate.fixtures.ts';
import { validateWithSecrets } from './validate-with-secrets.ts';

/** A trigger filtered by channel or connection id, as `trigger.conversationClosed` is. */
const closed = defineNode({
  type: 'closed',
  label: 'Conversation closed',
  group: 'Triggers',
  description: 'Starts on a closed conversation',
  icon: 'T',
  schema: z.object({ channels: z.array(z.string()).default([]) }),
  exits: () => [DEFAULT_EXIT],
  variables: () => [],
  trigger: { event: 'conversation.closed' },
});

const helpdeskStep = (type: string, label: string, helpdesk: 'note' | 'labels') =>
  defineNode({
    type,
    label,
    group: 'Actions',
    description: label,
    icon: 'H',
    schema: z.object({}),
    exits: () => ['success', 'failure'],
    variables: () => [],
    helpdesk,
  });

const definitions: NodeRegistry = {
  closed,
  note: helpdeskStep('note', 'Add private note', 'note'),
  labels: helpdeskStep('labels', 'Add labels', 'labels'),
};

const channelOf = (kind: string, label: string, actions: Array<'note' | 'labels'>) =>
  defineChannel({
    kind,
    label,
    description: label,
    icon: 'C',
    settings: z.object({}),
    secrets: z.object({}),
    endpoints: [],
    actions,
  });

const channels = {
  desk: channelOf('desk', 'Deskly', ['note', 'labels']),
  notes: channelOf('notes', 'Notebook', ['note']),
  chat: channelOf('chat', 'WhatsApp', []),
};

const channelConnection = (id: string, channel: string): ConnectionSummary => ({
  id,
  type: 'channel',
  name: id,
  channel,
  settings: {},
  secretsSet: [],
  endpoints: [],
  createdAt: 0,
});

/** The stored connections as `connections.list()` gives them, counting the calls. */
function stored(...summaries: ConnectionSummary[]) {
  const store = {
    lists: 0,
    async list() {
      store.lists += 1;
      return summaries;
    },
  };
  return store;
}

const connections = stored(
  channelConnection('helpdesk', 'desk'),
  channelConnection('wa', 'chat'),
  channelConnection('journal', 'notes'),
  { id: 'crm-token', type: 'secret', name: 'CRM', createdAt: 0 },
);

function flow(channelFilter: string[], steps: string[] = ['labels']) {
  return workflow(
    [
      ['start', 'closed', { channels: channelFilter }],
      ...steps.map((type): [string, string] => [`${type}-step`, type]),
    ],
    steps.map((type, index): [string, string] => [
      index === 0 ? 'start' : `${steps[index - 1]}-step:success`,
      `${type}-step`,
    ]),
  );
}

describe('publishing a workflow with helpdesk steps', () => {
  it('refuses a step the channel of a connection named by the trigger cannot do, naming the step, the connection and who can', async () => {
    const report = await validateWithSecrets(flow(['helpdesk', 'wa']), definitions, connections, channels);
    expect(report).toEqual({
      valid: false,
      problems: [
        {
          nodeId: 'labels-step',
          message:
            'Add labels: the WhatsApp connection "wa" cannot add labels; remove the step or limit the trigger to a Deskly connection.',
        },
      ],
    });
  });

  it('names every channel that can do the step, and only the removal when none can', async () => {
    const note = await validateWithSecrets(flow(['wa'], ['note']), definitions, connections, channels);
    expect(note.problems.map((problem) => problem.message)).toEqual([
      'Add private note: the WhatsApp connection "wa" cannot add private notes; remove the step or limit the trigger to a Deskly connection or a Notebook connection.',
    ]);
    const nobody = await validateWithSecrets(flow(['helpdesk']), definitions, connections, { chat: channels.chat });
    expect(nobody.problems.map((problem) => problem.message)).toEqual([
      'Add labels: the desk connection "helpdesk" cannot add labels; remove the step.',
    ]);
  });

  it('reports each step against each connection that cannot do it', async () => {
    const report = await validateWithSecrets(
      flow(['journal', 'wa'], ['note', 'labels']),
      definitions,
      connections,
      channels,
    );
    expect(report.problems).toEqual([
      {
        nodeId: 'note-step',
        message: expect.stringContaining('the WhatsApp connection "wa" cannot add private notes'),
      },
      { nodeId: 'labels-step', message: expect.stringContaining('the WhatsApp connection "wa" cannot add labels') },
      {
        nodeId: 'labels-step',
        message: expect.stringContaining('the Notebook connection "journal" cannot add labels'),
      },
    ]);
  });

  it('accepts connections whose channels can do every step, named in any case as the trigger compares them', async () => {
    const report = await validateWithSecrets(
      flow([' HelpDesk '], ['note', 'labels']),
      definitions,
      connections,
      channels,
    );
    expect(report).toEqual({ valid: true, problems: [] });
  });

  it('accepts a trigger open to every channel without reading the connections: a run that cannot leaves by failure', async () => {
    const untouched = stored(channelConnection('wa', 'chat'));
    expect(await validateWithSecrets(flow([]), definitions, untouched, channels)).toEqual({
      valid: true,
      problems: [],
    });
    expect(untouched.lists).toBe(0);
  });

  it('does not judge entries that name a platform’s channel or a connection that is not a channel', async () => {
    const report = await validateWithSecrets(flow(['whatsapp', 'crm-token']), definitions, connections, channels);
    expect(report).toEqual({ valid: true, problems: [] });
  });
});
