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

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Room kept around every step, so a placed step's "+" buttons and edges stay clear of its neighbours. */
const CLEARANCE = 24;
/** Candidate spots are tried on this grid, nearest first, out to SEARCH_RINGS steps each way. */
const SEARCH_STEP = 24;
const SEARCH_RINGS = 60;
/** A step not measured yet (just added) is taken to be this tall: most cards are shorter. */
const NEW_NODE_HEIGHT = 120;

/** The box a node takes on the canvas: what React Flow measured, else a typical card's size. */
export function boxOf(node: Pick<Node, 'position' | 'measured'>, fallbackHeight = FALLBACK_HEIGHT): Box {
  return {
    x: node.position.x,
    y: node.position.y,
    width: node.measured?.width ?? FALLBACK_WIDTH,
    height: node.measured?.height ?? fallbackHeight,
  };
}

/** The box a node of unknown size would take at `position`. */
export function newNodeBox(position: { x: number; y: number }): Box {
  return { ...position, width: FALLBACK_WIDTH, height: NEW_NODE_HEIGHT };
}

function overlaps(a: Box, b: Box, clearance: number): boolean {
  return (
    a.x < b.x + b.width + clearance &&
    b.x < a.x + a.width + clearance &&
    a.y < b.y + b.height + clearance &&
    b.y < a.y + a.height + clearance
  );
}

/**
 * How far to move a group of boxes (one new step, or a pasted selection) from where it was
 * wanted so that none of them overlaps an occupied box: {0, 0} when it is clear already, else
 * the nearest clear shift on a grid around it (ties go down, then right, so a step added below
 * another does not jump above it). Past the search radius, the group goes below everything.
 */
export function clearShift(
  group: readonly Box[],
  occupied: readonly Box[],
  clearance = CLEARANCE,
): { dx: number; dy: number } {
  const clearAt = (dx: number, dy: number) =>
    group.every((box) =>
      occupied.every((other) => !overlaps({ ...box, x: box.x + dx, y: box.y + dy }, other, clearance)),
    );
  const found = searchShifts().find(({ dx, dy }) => clearAt(dx, dy));
  if (found) return found;
  const bottom = Math.max(...occupied.map((box) => box.y + box.height));
  const top = Math.min(...group.map((box) => box.y));
  return { dx: 0, dy: bottom + clearance * 2 - top };
}

let shifts: { dx: number; dy: number }[] | null = null;

/** Every grid shift within the search radius, nearest first (then down, then right); built once. */
function searchShifts(): readonly { dx: number; dy: number }[] {
  if (shifts) return shifts;
  const all: { dx: number; dy: number }[] = [];
  for (let i = -SEARCH_RINGS; i <= SEARCH_RINGS; i++) {
    for (let j = -SEARCH_RINGS; j <= SEARCH_RINGS; j++) all.push({ dx: i * SEARCH_STEP, dy: j * SEARCH_STEP });
  }
  shifts = all.sort((a, b) => a.dx ** 2 + a.dy ** 2 - (b.dx ** 2 + b.dy ** 2) || b.dy - a.dy || b.dx - a.dx);
  return shifts;
}
