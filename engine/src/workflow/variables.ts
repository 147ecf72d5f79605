import type { NodeRegistry, VariableSpec } from '../sdk/define-node.ts';
import {
  buildGraph,
  type GraphEdge,
  type GraphInput,
  reversePostorder,
  variablesOnExit,
  type WorkflowGraph,
} from './graph.ts';

/**
 * The variables set on every path from the trigger to `nodeId`, for the editor's picker.
 * Empty for the trigger itself, for a node the trigger cannot reach, and without exactly
 * one trigger.
 */
export function availableVariables(workflow: GraphInput, nodeId: string, definitions: NodeRegistry): VariableSpec[] {
  return analyseVariables(buildGraph(workflow, definitions)).availableAt(nodeId) ?? [];
}

export interface VariableAnalysis {
  /** Ids of the nodes the trigger reaches (empty without exactly one trigger). */
  reached: ReadonlySet<string>;
  /** What every path guarantees when the node starts; null for a node the trigger does not reach. */
  availableAt(nodeId: string): VariableSpec[] | null;
  /** Whether `$path` is set on every path to the node (false for a node not reached). */
  isSetAt(nodeId: string, path: string): boolean;
  /** Whether `$path` is set on every path that arrives through this edge. */
  isSetAlong(edge: GraphEdge, path: string): boolean;
  /** Whether any node of the workflow sets `$path` at all. */
  isSetAnywhere(path: string): boolean;
}

/**
 * A forward "must" dataflow over the graph: the set at a node is the intersection, over its
 * incoming edges, of what the source had plus what the source sets on that exit. Sets are
 * bitsets over every variable name the workflow declares; nodes are visited in reverse
 * postorder until nothing changes: one round settles a graph without loops, loops (which
 * pass through pausing nodes) take one or two more.
 */
export function analyseVariables(graph: WorkflowGraph): VariableAnalysis {
  const universe = new Universe(graph);
  const [trigger, ...others] = graph.triggers;
  const at = new Map<string, Bits | null>();
  if (trigger && others.length === 0) {
    const order = reversePostorder(graph, trigger.id);
    for (const id of order) at.set(id, null);
    at.set(trigger.id, universe.empty());
    let changed = true;
    for (let round = 0; changed && round <= order.length; round += 1) {
      changed = false;
      for (const id of order) {
        if (id === trigger.id) continue;
        let incoming: Bits | null = null;
        for (const edge of graph.incoming.get(id) ?? []) {
          const atSource = at.get(edge.source);
          if (atSource === undefined || atSource === null) continue;
          const along = universe.carried(atSource, edge);
          incoming = incoming === null ? along : universe.intersect(incoming, along);
        }
        const previous = at.get(id) ?? null;
        if (incoming !== null && (previous === null || !sameBits(previous, incoming))) {
          at.set(id, incoming);
          changed = true;
        }
      }
    }
  }
  const reached = new Set(at.keys());
  const bitsAt = (nodeId: string) => at.get(nodeId) ?? null;
  return {
    reached,
    availableAt: (nodeId) => {
      const bits = bitsAt(nodeId);
      return bits ? universe.specsIn(bits) : null;
    },
    isSetAt: (nodeId, path) => {
      const bits = bitsAt(nodeId);
      return bits !== null && universe.covers(bits, path);
    },
    isSetAlong: (edge, path) => {
      const bits = bitsAt(edge.source);
      return bits !== null && universe.covers(universe.carried(bits, edge), path);
    },
    isSetAnywhere: (path) => universe.covers(universe.all(), path),
  };
}

type Bits = Uint32Array;

/**
 * Every variable name the workflow declares, numbered. A name declared `object` or
 * `unknown` by some node also stands for every path below it (`crm` covers `crm.body.id`).
 */
class Universe {
  private readonly index = new Map<string, number>();
  private readonly specs: VariableSpec[] = [];
  /** For each object-like name, the names below it. */
  private readonly below = new Map<number, Bits>();
  private readonly words: number;
  private readonly producedByEdge = new Map<GraphEdge, Bits>();

  constructor(private readonly graph: WorkflowGraph) {
    const objectLike = new Set<number>();
    for (const node of graph.nodes.values()) {
      for (const spec of node.variables) {
        let i = this.index.get(spec.name);
        if (i === undefined) {
          i = this.specs.length;
          this.index.set(spec.name, i);
          this.specs.push(spec);
        }
        if (spec.type === 'object' || spec.type === 'unknown') objectLike.add(i);
      }
    }
    this.words = Math.ceil(this.specs.length / 32);
    for (const i of objectLike) {
      const prefix = `${this.specs[i]!.name}.`;
      const bits = this.empty();
      this.specs.forEach((spec, j) => {
        if (spec.name.startsWith(prefix)) set(bits, j);
      });
      this.below.set(i, bits);
    }
  }

  empty(): Bits {
    return new Uint32Array(this.words);
  }

  all(): Bits {
    const bits = this.empty();
    for (let i = 0; i < this.specs.length; i += 1) set(bits, i);
    return bits;
  }

  /** What an edge carries: its source's set plus what the source sets on that exit. */
  carried(atSource: Bits, edge: GraphEdge): Bits {
    const produced = this.produced(edge);
    const out = this.empty();
    for (let w = 0; w < this.words; w += 1) out[w] = atSource[w]! | produced[w]!;
    return out;
  }

  /**
   * Keeps what both sides guarantee: a name in both, or a name on one side inside an
   * object the other side has (`crm.status` against `crm` keeps `crm.status`, not all of `crm`).
   */
  intersect(a: Bits, b: Bits): Bits {
    const underA = this.under(a);
    const underB = this.under(b);
    const out = this.empty();
    for (let w = 0; w < this.words; w += 1) {
      out[w] = (a[w]! & b[w]!) | (a[w]! & underB[w]!) | (b[w]! & underA[w]!);
    }
    return out;
  }

  /**
   * Whether `path` is set when `bits` are: named exactly; inside an object-like variable;
   * or a parent of one (`contact.name` makes `$contact` exist).
   */
  covers(bits: Bits, path: string): boolean {
    const exact = this.index.get(path);
    if (exact !== undefined && has(bits, exact)) return true;
    for (let cut = path.lastIndexOf('.'); cut > 0; cut = path.lastIndexOf('.', cut - 1)) {
      const parent = this.index.get(path.slice(0, cut));
      if (parent !== undefined && this.below.has(parent) && has(bits, parent)) return true;
    }
    const prefix = `${path}.`;
    return this.specs.some((spec, i) => has(bits, i) && spec.name.startsWith(prefix));
  }

  specsIn(bits: Bits): VariableSpec[] {
    return this.specs.filter((_, i) => has(bits, i));
  }

  private produced(edge: GraphEdge): Bits {
    let bits = this.producedByEdge.get(edge);
    if (!bits) {
      bits = this.empty();
      const source = this.graph.nodes.get(edge.source);
      for (const spec of source ? variablesOnExit(source, edge.exit) : []) set(bits, this.index.get(spec.name)!);
      this.producedByEdge.set(edge, bits);
    }
    return bits;
  }

  private under(bits: Bits): Bits {
    const out = this.empty();
    for (const [i, below] of this.below) {
      if (!has(bits, i)) continue;
      for (let w = 0; w < this.words; w += 1) out[w] = out[w]! | below[w]!;
    }
    return out;
  }
}

function set(bits: Bits, i: number): void {
  bits[i >>> 5] = bits[i >>> 5]! | (1 << (i & 31));
}

function has(bits: Bits, i: number): boolean {
  return (bits[i >>> 5]! & (1 << (i & 31))) !== 0;
}

function sameBits(a: Bits, b: Bits): boolean {
  for (let w = 0; w < a.length; w += 1) if (a[w] !== b[w]) return false;
  return true;
}
