import {
  type AnyNodeDefinition,
  DEFAULT_EXIT,
  type ExitWait,
  type NodeRegistry,
  type VariableSpec,
} from '../sdk/define-node.ts';
import { type Duration, durationToMs } from './duration.ts';
import { type ParsedData, parseWithSchema } from './validate-data.ts';

/**
 * The shortest timer a loop may pass through instead of a reply: a run that loops sends its
 * messages (and calls its services) at most once a minute.
 */
export const MIN_LOOP_WAIT_MS = 60_000;

/**
 * The graph view of a workflow that validation, variable analysis and the editor share.
 * Loose input types on purpose: the editor passes React Flow's nodes and edges as they are.
 */
export interface GraphInput {
  nodes: ReadonlyArray<{ id: string; type?: string | undefined; data?: unknown }>;
  edges: ReadonlyArray<{ id: string; source: string; target: string; sourceHandle?: string | null | undefined }>;
}

export interface GraphNode {
  id: string;
  type: string | undefined;
  /** Absent for a type the registry does not know. */
  definition: AnyNodeDefinition | undefined;
  /** The node's data as written. */
  rawData: unknown;
  /** The schema's verdict on the data (unknown types count as parsed). */
  parsed: ParsedData;
  /** The node's exits, or null when they cannot be known (unknown type, unusable data). */
  exits: readonly string[] | null;
  variables: readonly VariableSpec[];
  isTrigger: boolean;
  pauses: boolean;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  sourceHandle: string | null;
  /** The exit this edge leaves by, or null when it names none and the source has several. */
  exit: string | null;
  /** What holds a run at the source before it takes this edge; null when the source never pauses. */
  wait: ExitWait | null;
}

export interface WorkflowGraph {
  /** By id; with duplicate ids the first node wins (validation reports the rest). */
  nodes: Map<string, GraphNode>;
  /** Edges whose both ends are nodes of the graph. */
  edges: GraphEdge[];
  outgoing: Map<string, GraphEdge[]>;
  incoming: Map<string, GraphEdge[]>;
  triggers: GraphNode[];
}

export function buildGraph(input: GraphInput, definitions: NodeRegistry): WorkflowGraph {
  const nodes = new Map<string, GraphNode>();
  for (const node of input.nodes) {
    if (!nodes.has(node.id)) nodes.set(node.id, graphNode(node, definitions));
  }
  const edges: GraphEdge[] = [];
  const outgoing = new Map<string, GraphEdge[]>();
  const incoming = new Map<string, GraphEdge[]>();
  for (const node of nodes.values()) {
    outgoing.set(node.id, []);
    incoming.set(node.id, []);
  }
  for (const edge of input.edges) {
    const source = nodes.get(edge.source);
    if (!source || !nodes.has(edge.target)) continue;
    const sourceHandle = edge.sourceHandle ?? null;
    const exit = edgeExit(sourceHandle, source.exits);
    const graphEdge: GraphEdge = {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      sourceHandle,
      exit,
      wait: exitWait(source, exit),
    };
    edges.push(graphEdge);
    outgoing.get(edge.source)!.push(graphEdge);
    incoming.get(edge.target)!.push(graphEdge);
  }
  const triggers = [...nodes.values()].filter((node) => node.isTrigger);
  return { nodes, edges, outgoing, incoming, triggers };
}

/**
 * The exit an edge leaves by: its `sourceHandle`, or, when it has none (or the default
 * "next"), the source's only exit. Null when the source has several exits and the edge
 * names none.
 */
export function edgeExit(sourceHandle: string | null | undefined, exits: readonly string[] | null): string | null {
  if (sourceHandle && sourceHandle !== DEFAULT_EXIT) return sourceHandle;
  if (exits === null) return DEFAULT_EXIT;
  if (exits.length === 1) return exits[0]!;
  if (exits.includes(DEFAULT_EXIT)) return DEFAULT_EXIT;
  return null;
}

/** The node a step leads to when it leaves by `exit`; null when no edge leaves by it (the run ends). */
export function targetOfExit(graph: WorkflowGraph, nodeId: string, exit: string | undefined): string | null {
  const node = graph.nodes.get(nodeId);
  const wanted = exit ?? edgeExit(null, node?.exits ?? null);
  const edge = graph.outgoing.get(nodeId)?.find((candidate) => candidate.exit === wanted);
  return edge ? edge.target : null;
}

/** The variables a node sets when it leaves by `exit`. */
export function variablesOnExit(node: GraphNode, exit: string | null): VariableSpec[] {
  return node.variables.filter((spec) => !spec.exits || (exit !== null && spec.exits.includes(exit)));
}

/** Ids of the nodes a walk from `startId` can reach, `startId` included. */
export function reachableFrom(graph: WorkflowGraph, startId: string): Set<string> {
  const seen = new Set<string>([startId]);
  const stack = [startId];
  while (stack.length > 0) {
    const id = stack.pop()!;
    for (const edge of graph.outgoing.get(id) ?? []) {
      if (!seen.has(edge.target)) {
        seen.add(edge.target);
        stack.push(edge.target);
      }
    }
  }
  return seen;
}

/**
 * Groups of nodes that loop without passing through a pausing node: the strongly connected
 * components of the graph with every pausing node taken out (a lone node counts only when
 * it leads to itself).
 */
export function loopsWithoutPause(graph: WorkflowGraph): string[][] {
  const pauses = (id: string) => graph.nodes.get(id)?.pauses === true;
  return loopsAlong(graph, (edge) => !pauses(edge.source) && !pauses(edge.target));
}

/** A timer on a loop that nothing slower holds, and that lasts less than `MIN_LOOP_WAIT_MS`. */
export interface FastLoopWait {
  nodeId: string;
  exit: string;
  field: string;
  duration: Duration;
}

/**
 * Timers that would let a run go round a loop faster than once a minute: exits of pausing
 * steps left by a timer under `MIN_LOOP_WAIT_MS`, on a loop that no reply and no longer timer
 * holds. Loops that never pause at all are `loopsWithoutPause`'s.
 */
export function fastLoopWaits(graph: WorkflowGraph): FastLoopWait[] {
  const fast = (edge: GraphEdge) =>
    edge.wait === null || (edge.wait.kind === 'timer' && durationToMs(edge.wait.duration) < MIN_LOOP_WAIT_MS);
  const found = new Map<string, FastLoopWait>();
  for (const loop of loopsAlong(graph, fast)) {
    const members = new Set(loop);
    for (const id of loop) {
      for (const edge of graph.outgoing.get(id) ?? []) {
        const wait = edge.wait;
        if (wait?.kind !== 'timer' || edge.exit === null || !members.has(edge.target) || !fast(edge)) continue;
        found.set(`${id}\n${edge.exit}`, { nodeId: id, exit: edge.exit, field: wait.field, duration: wait.duration });
      }
    }
  }
  return [...found.values()];
}

/**
 * The strongly connected components of the graph along the edges `follows` accepts (a lone
 * node counts only when it leads to itself). Tarjan's algorithm, iterative so deep graphs
 * cannot overflow the stack.
 */
function loopsAlong(graph: WorkflowGraph, follows: (edge: GraphEdge) => boolean): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const loops: string[][] = [];
  let next = 0;

  for (const root of graph.nodes.keys()) {
    if (index.has(root)) continue;
    const work: Array<{ id: string; edge: number }> = [{ id: root, edge: 0 }];
    index.set(root, next);
    low.set(root, next);
    next += 1;
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const out = graph.outgoing.get(frame.id) ?? [];
      if (frame.edge < out.length) {
        const edge = out[frame.edge]!;
        frame.edge += 1;
        if (!follows(edge)) continue;
        const target = edge.target;
        if (!index.has(target)) {
          index.set(target, next);
          low.set(target, next);
          next += 1;
          stack.push(target);
          onStack.add(target);
          work.push({ id: target, edge: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, index.get(target)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) !== index.get(frame.id)) continue;
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.id);
      const selfLoop = out.some((edge) => edge.target === frame.id && follows(edge));
      if (component.length > 1 || selfLoop) loops.push(component.reverse());
    }
  }
  return loops;
}

/** Node ids reachable from `startId`, each after all its predecessors except along back edges. */
export function reversePostorder(graph: WorkflowGraph, startId: string): string[] {
  const visited = new Set<string>([startId]);
  const order: string[] = [];
  const work: Array<{ id: string; edge: number }> = [{ id: startId, edge: 0 }];
  while (work.length > 0) {
    const frame = work[work.length - 1]!;
    const out = graph.outgoing.get(frame.id) ?? [];
    if (frame.edge < out.length) {
      const target = out[frame.edge]!.target;
      frame.edge += 1;
      if (!visited.has(target)) {
        visited.add(target);
        work.push({ id: target, edge: 0 });
      }
      continue;
    }
    work.pop();
    order.push(frame.id);
  }
  return order.reverse();
}

function graphNode(node: GraphInput['nodes'][number], definitions: NodeRegistry): GraphNode {
  const type = node.type;
  const definition = type !== undefined && Object.hasOwn(definitions, type) ? definitions[type] : undefined;
  if (!definition) {
    return {
      id: node.id,
      type,
      definition: undefined,
      rawData: node.data,
      parsed: { ok: true, data: node.data },
      exits: null,
      variables: [],
      isTrigger: false,
      pauses: false,
    };
  }
  const parsed = parseWithSchema(definition.schema, node.data ?? {});
  // Data that fails its schema (an operator mid-edit) still yields exits and variables when
  // the definition can read it, so one bad field does not hide every downstream variable.
  const data = parsed.ok ? parsed.data : node.data;
  return {
    id: node.id,
    type,
    definition,
    rawData: node.data,
    parsed,
    exits: attempt(() => definition.exits(data)),
    variables: (attempt(() => definition.variables(data)) ?? []).filter(isUsableSpec),
    isTrigger: definition.trigger !== undefined,
    pauses: definition.pauses === true,
  };
}

/**
 * What holds a run at `node` before it leaves by `exit`. A pausing node without `waitBefore`,
 * or whose data fails its schema (validation reports that first), counts as waiting for a reply.
 */
function exitWait(node: GraphNode, exit: string | null): ExitWait | null {
  if (!node.pauses) return null;
  const waitBefore = node.definition?.waitBefore;
  if (!waitBefore || exit === null || !node.parsed.ok) return { kind: 'reply' };
  const data = node.parsed.data;
  return attempt(() => waitBefore(data, exit)) ?? { kind: 'reply' };
}

function isUsableSpec(spec: VariableSpec): boolean {
  return typeof spec.name === 'string' && spec.name.length > 0;
}

function attempt<T>(read: () => T): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}
