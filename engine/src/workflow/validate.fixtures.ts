import { z } from 'zod';
import { DEFAULT_EXIT, defineNode, type NodeRegistry } from '../sdk/define-node.ts';
import { Duration } from './duration.ts';
import type { WorkflowEdge, WorkflowNode } from './schema.ts';

/** Small node types and a graph builder shared by the validation and variable tests. */
const trigger = defineNode({
  type: 'test.trigger',
  label: 'Trigger',
  group: 'Triggers',
  description: 'Starts a test run',
  icon: 'T',
  schema: z.object({}),
  exits: () => [DEFAULT_EXIT],
  variables: () => [
    { name: 'contact.name', type: 'string' },
    { name: 'conversation.id', type: 'string' },
  ],
  trigger: { event: 'conversation.closed' },
});

const ask = defineNode({
  type: 'test.ask',
  label: 'Ask',
  group: 'Questions',
  description: 'Asks and waits',
  icon: '?',
  schema: z.object({
    question: z.string().trim().min(1).meta({ title: 'Question' }),
    saveAs: z.string().regex(/^[a-z]+$/, 'use lowercase letters only'),
    retries: z.number().int().min(0).default(2),
    timeout: Duration.optional().meta({ title: 'Give up after' }),
  }),
  exits: () => ['answered', 'invalid', 'timeout'],
  variables: (data) => [{ name: data.saveAs, type: 'number', exits: ['answered'] }],
  pauses: true,
  waitBefore: (data, exit) =>
    exit === 'timeout' && data.timeout
      ? { kind: 'timer', field: 'timeout', duration: data.timeout }
      : { kind: 'reply' },
});

const wait = defineNode({
  type: 'test.wait',
  label: 'Wait',
  group: 'Logic',
  description: 'Pauses',
  icon: 'W',
  schema: z.object({ duration: Duration }),
  exits: () => [DEFAULT_EXIT],
  variables: () => [],
  pauses: true,
  waitBefore: (data) => ({ kind: 'timer', field: 'duration', duration: data.duration }),
});

const action = defineNode({
  type: 'test.action',
  label: 'Action',
  group: 'Actions',
  description: 'Calls out',
  icon: 'A',
  schema: z.object({
    body: z.string().default(''),
    saveAs: z.string().optional(),
    columns: z
      .array(z.object({ column: z.string().min(1), value: z.string().meta({ title: 'Value' }) }))
      .default([])
      .meta({ title: 'Columns' }),
  }),
  exits: () => ['success', 'failure'],
  variables: (data) => (data.saveAs ? [{ name: data.saveAs, type: 'object' }] : []),
});

const say = defineNode({
  type: 'test.say',
  label: 'Say',
  group: 'Actions',
  description: 'Sends text',
  icon: 'S',
  schema: z.object({ text: z.string() }),
  exits: () => [DEFAULT_EXIT],
  variables: () => [],
});

const end = defineNode({
  type: 'test.end',
  label: 'End',
  group: 'Logic',
  description: 'Stops',
  icon: 'E',
  schema: z.object({}),
  exits: () => [],
  variables: () => [],
});

export const definitions: NodeRegistry = {
  [trigger.type]: trigger,
  [ask.type]: ask,
  [action.type]: action,
  [say.type]: say,
  [end.type]: end,
  [wait.type]: wait,
};

export type NodeSpec = [id: string, type: string, data?: Record<string, unknown>];
/** Nodes by [id, type, data]; edges by ["source" or "source:handle", target]. */
export function workflow(nodes: NodeSpec[], edges: Array<[string, string]>) {
  const nodeList: WorkflowNode[] = nodes.map(([id, type, data = {}], index) => ({
    id,
    type,
    position: { x: 0, y: index * 100 },
    data,
  }));
  const edgeList: WorkflowEdge[] = edges.map(([from, target], index) => {
    const [source = '', sourceHandle] = from.split(':');
    return sourceHandle
      ? { id: `e${index + 1}`, source, sourceHandle, target }
      : { id: `e${index + 1}`, source, target };
  });
  return { name: 'Test', nodes: nodeList, edges: edgeList };
}

export const askData = { question: 'How was it?', saveAs: 'rating' };

export const csat = workflow(
  [
    ['start', 'test.trigger'],
    ['ask', 'test.ask', askData],
    [
      'sheet',
      'test.action',
      {
        columns: [
          { column: 'Who', value: '$contact.name' },
          { column: 'Rating', value: '$rating' },
        ],
        saveAs: 'crm',
      },
    ],
    ['thanks', 'test.say', { text: 'Thanks $contact.name, saved $crm.body.id for $conversation.id' }],
  ],
  [
    ['start', 'ask'],
    ['ask:answered', 'sheet'],
    ['sheet:success', 'thanks'],
  ],
);
