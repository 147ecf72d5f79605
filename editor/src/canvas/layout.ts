import dagre from '@dagrejs/dagre';
import type { Edge, Node } from '@xyflow/react';

const FALLBACK_WIDTH = 240;
const FALLBACK_HEIGHT = 96;

/** Top-to-bottom layered layout (dagre); node sizes come from what React Flow measured. */
export function autoLayout<N extends Node>(nodes: readonly N[], edges: readonly Edge[]): N[] {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'TB', nodesep: 48, ranksep: 72 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of nodes) {
    graph.setNode(node.id, {
      width: node.measured?.width ?? FALLBACK_WIDTH,
      height: node.measured?.height ?? FALLBACK_HEIGHT,
    });
  }
  for (const edge of edges) graph.setEdge(edge.source, edge.target);
  dagre.layout(graph);
  return nodes.map((node) => {
    const placed = graph.node(node.id);
    if (!placed) return node;
    const width = node.measured?.width ?? FALLBACK_WIDTH;
    const height = node.measured?.height ?? FALLBACK_HEIGHT;
    return { ...node, position: { x: placed.x - width / 2, y: placed.y - height / 2 } };
  });
}
