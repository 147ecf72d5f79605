import type { WorkflowEdge, WorkflowNode } from './schema.ts';

/** A graph builder and a CSAT workflow for the validation and variable tests, over the test node types (`testing/test-nodes.ts`). */
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
    ['start', 'test.closed'],
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
