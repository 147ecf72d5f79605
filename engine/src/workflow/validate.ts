import { z } from 'zod';
import type { ValidationProblem, ValidationReport } from '../contract/workflows.ts';
import type { NodeRegistry } from '../sdk/define-node.ts';
import { findVariables } from '../templating/render.ts';
import { describeDuration } from './duration.ts';
import {
  buildGraph,
  type FastLoopWait,
  fastLoopWaits,
  type GraphEdge,
  type GraphNode,
  loopsWithoutPause,
  MIN_LOOP_WAIT_MS,
  reachableFrom,
  type WorkflowGraph,
} from './graph.ts';
import { WorkflowEdge, WorkflowInput, WorkflowNode } from './schema.ts';
import { fieldLabel, parseWithSchema, unknownStepType } from './validate-data.ts';
import { analyseVariables, type VariableAnalysis } from './variables.ts';

/**
 * Checks a workflow document before it is saved or published and says, for an operator,
 * what is wrong and where (node, edge, field). Never throws on bad input: the document
 * itself may be anything.
 */
export function validateWorkflow(workflow: unknown, definitions: NodeRegistry): ValidationReport {
  const problems: ValidationProblem[] = documentProblems(workflow);
  const nodes = z.array(WorkflowNode).safeParse(propertyOf(workflow, 'nodes'));
  const edges = z.array(WorkflowEdge).safeParse(propertyOf(workflow, 'edges'));
  if (nodes.success && edges.success) {
    problems.push(...graphProblems(nodes.data, edges.data, definitions));
  }
  return { valid: problems.length === 0, problems };
}

function documentProblems(workflow: unknown): ValidationProblem[] {
  if (typeof workflow !== 'object' || workflow === null || Array.isArray(workflow)) {
    return [{ message: 'A workflow is a JSON object with "name", "nodes" and "edges".' }];
  }
  const parsed = parseWithSchema(WorkflowInput, workflow);
  if (parsed.ok) return [];
  return parsed.issues.map((issue) => {
    const [collection, index, ...rest] = issue.field?.split('.') ?? [];
    if ((collection !== 'nodes' && collection !== 'edges') || index === undefined) return { message: issue.message };
    const position = Number(index);
    const id = propertyOf(itemAt(propertyOf(workflow, collection), position), 'id');
    const label = fieldLabel(collection === 'nodes' ? WorkflowNode : WorkflowEdge, rest);
    const reason = label ? `${label}: ${issue.reason}` : issue.reason;
    if (typeof id === 'string' && id) {
      return collection === 'nodes' ? { nodeId: id, message: reason } : { edgeId: id, message: reason };
    }
    return { message: `${collection === 'nodes' ? 'Step' : 'Connection'} #${position + 1} › ${reason}` };
  });
}

function graphProblems(nodes: WorkflowNode[], edges: WorkflowEdge[], definitions: NodeRegistry): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  problems.push(...idProblems(nodes, edges));
  const graph = buildGraph({ nodes, edges }, definitions);
  for (const node of graph.nodes.values()) problems.push(...nodeProblems(node));
  problems.push(...danglingEdges(graph, edges));
  problems.push(...exitProblems(graph));
  const trigger = triggerProblems(graph, problems);
  if (trigger) {
    const reachable = reachableFrom(graph, trigger.id);
    for (const node of graph.nodes.values()) {
      if (!reachable.has(node.id)) {
        problems.push({
          nodeId: node.id,
          message: `This step can never run: nothing leads to it from the trigger "${trigger.id}". Connect it or delete it.`,
        });
      }
    }
    problems.push(...variableProblems(graph, trigger));
  }
  for (const loop of loopsWithoutPause(graph)) {
    const members = loop.map((id) => `"${id}"`);
    const what =
      members.length === 1
        ? `${members[0]} leads back to itself`
        : `${members.slice(0, -1).join(', ')} and ${members.at(-1)} form a loop`;
    for (const nodeId of loop) {
      problems.push({
        nodeId,
        message: `${what} with no step that waits, so it would run forever: make the loop pass through a step that waits (Ask question, Wait).`,
      });
    }
  }
  for (const wait of fastLoopWaits(graph)) problems.push(fastLoopProblem(graph, wait));
  return problems;
}

/**
 * A timer that would let a run go round its loop, messaging the contact each time, faster
 * than once a minute. A reply on the way sets the pace instead, so a loop through a question's
 * "answered" or "invalid" exit needs no minimum; its "timeout" exit is a timer like a Wait.
 */
function fastLoopProblem(graph: WorkflowGraph, wait: FastLoopWait): ValidationProblem {
  const node = graph.nodes.get(wait.nodeId);
  const label = node?.definition?.label ?? 'step';
  const minimum = describeDuration({ value: MIN_LOOP_WAIT_MS / 60_000, unit: 'minutes' });
  const actual = describeDuration(wait.duration);
  const at = { nodeId: wait.nodeId, field: wait.field };
  if ((node?.exits ?? []).length <= 1) {
    return {
      ...at,
      message: `This ${label} is on a loop back to an earlier step, so it must last at least ${minimum} (it lasts ${actual}).`,
    };
  }
  const field = node?.definition ? fieldLabel(node.definition.schema, [wait.field]) : wait.field;
  return {
    ...at,
    message: `The "${wait.exit}" exit of this ${label} leads back to an earlier step, so "${field}" must be at least ${minimum} (it is ${actual}).`,
  };
}

function idProblems(nodes: WorkflowNode[], edges: WorkflowEdge[]): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const seenNodes = new Set<string>();
  for (const node of nodes) {
    // A run keeps per-step counts in a JSON object, where this one name cannot be a key.
    if (node.id === '__proto__') {
      problems.push({ nodeId: node.id, message: 'The id "__proto__" is reserved: give this step another id.' });
    }
    if (seenNodes.has(node.id)) {
      problems.push({ nodeId: node.id, message: `Two steps share the id "${node.id}": give each step its own id.` });
    }
    seenNodes.add(node.id);
  }
  const seenEdges = new Set<string>();
  for (const edge of edges) {
    if (seenEdges.has(edge.id)) {
      problems.push({ edgeId: edge.id, message: `Two connections share the id "${edge.id}": give each its own id.` });
    }
    seenEdges.add(edge.id);
  }
  return problems;
}

function nodeProblems(node: GraphNode): ValidationProblem[] {
  if (!node.definition) {
    return [{ nodeId: node.id, message: unknownStepType(node.type) }];
  }
  if (node.parsed.ok) return [];
  return node.parsed.issues.map((issue) =>
    issue.field === undefined
      ? { nodeId: node.id, message: issue.message }
      : { nodeId: node.id, field: issue.field, message: issue.message },
  );
}

function danglingEdges(graph: WorkflowGraph, edges: WorkflowEdge[]): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  for (const edge of edges) {
    for (const [end, id] of [
      ['starts at', edge.source],
      ['leads to', edge.target],
    ] as const) {
      if (!graph.nodes.has(id)) {
        problems.push({
          edgeId: edge.id,
          message: `This connection ${end} "${id}", which is not a step of this workflow.`,
        });
      }
    }
  }
  return problems;
}

function exitProblems(graph: WorkflowGraph): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  for (const node of graph.nodes.values()) {
    const exits = node.exits;
    if (exits === null) continue;
    const taken = new Map<string, GraphEdge>();
    for (const edge of graph.outgoing.get(node.id) ?? []) {
      const at = { nodeId: node.id, edgeId: edge.id };
      if (exits.length === 0) {
        problems.push({ ...at, message: `"${node.id}" ends the workflow: it cannot lead to another step.` });
      } else if (edge.exit === null) {
        problems.push({
          ...at,
          message: `This connection leaves "${node.id}" without naming its exit: pick one of ${list(exits)}.`,
        });
      } else if (!exits.includes(edge.exit)) {
        problems.push({ ...at, message: `"${node.id}" has no exit "${edge.exit}": use one of ${list(exits)}.` });
      } else {
        const first = taken.get(edge.exit);
        if (first) {
          problems.push({
            ...at,
            message: `The "${edge.exit}" exit of "${node.id}" leads to two steps ("${first.target}" and "${edge.target}"): an exit leads to one step only.`,
          });
        } else {
          taken.set(edge.exit, edge);
        }
      }
    }
  }
  return problems;
}

/** Reports trigger problems into `problems` and returns the one trigger, if there is exactly one. */
function triggerProblems(graph: WorkflowGraph, problems: ValidationProblem[]): GraphNode | undefined {
  const [trigger, ...extra] = graph.triggers;
  if (!trigger) {
    problems.push({ message: 'The workflow has no trigger: add one (e.g. "Conversation closed") as its first step.' });
    return undefined;
  }
  for (const node of graph.triggers) {
    for (const edge of graph.incoming.get(node.id) ?? []) {
      problems.push({
        nodeId: node.id,
        edgeId: edge.id,
        message: `"${node.id}" is the trigger, where the workflow starts: no connection may lead into it.`,
      });
    }
  }
  for (const node of extra) {
    problems.push({
      nodeId: node.id,
      message: `A workflow has exactly one trigger, and "${trigger.id}" is already one: remove this trigger or make it a separate workflow.`,
    });
  }
  return extra.length === 0 ? trigger : undefined;
}

function variableProblems(graph: WorkflowGraph, trigger: GraphNode): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const analysis = analyseVariables(graph);
  for (const nodeId of analysis.reached) {
    const node = graph.nodes.get(nodeId)!;
    for (const { field, path } of variableUses(node.rawData)) {
      if (analysis.isSetAt(nodeId, path)) continue;
      const at = field ? { nodeId, field } : { nodeId };
      if (!analysis.isSetAnywhere(path)) {
        problems.push({
          ...at,
          message: `"$${path}" is not set by any step of this workflow: check the spelling, or save it in an earlier step.`,
        });
        continue;
      }
      const route = routeWithout(graph, analysis, trigger, nodeId, path);
      problems.push({
        ...at,
        message: route
          ? `"$${path}" is not set on every path to this step: the path ${route} does not set it.`
          : `"$${path}" is not set on every path to this step.`,
      });
    }
  }
  return problems;
}

/**
 * One route from the trigger to `nodeId` along which `path` is never set, written
 * `"start" → "ask" (invalid) → "alert"`: a backward breadth-first walk over the edges that
 * do not carry the variable.
 */
function routeWithout(
  graph: WorkflowGraph,
  analysis: VariableAnalysis,
  trigger: GraphNode,
  nodeId: string,
  path: string,
): string | null {
  const via = new Map<string, GraphEdge>();
  const queue = [nodeId];
  const seen = new Set([nodeId]);
  for (let head = 0; head < queue.length; head += 1) {
    const id = queue[head]!;
    if (id === trigger.id) return describeRoute(graph, trigger.id, nodeId, via);
    for (const edge of graph.incoming.get(id) ?? []) {
      if (seen.has(edge.source) || !analysis.reached.has(edge.source) || analysis.isSetAlong(edge, path)) continue;
      seen.add(edge.source);
      via.set(edge.source, edge);
      queue.push(edge.source);
    }
  }
  return null;
}

function describeRoute(graph: WorkflowGraph, from: string, to: string, via: Map<string, GraphEdge>): string {
  const parts: string[] = [];
  let id = from;
  while (id !== to) {
    const edge = via.get(id)!;
    const exits = graph.nodes.get(id)?.exits;
    parts.push(exits && exits.length > 1 && edge.exit ? `"${id}" (${edge.exit})` : `"${id}"`);
    id = edge.target;
  }
  parts.push(`"${to}"`);
  return parts.join(' → ');
}

/** Every `$variable` in the strings of a node's data, with the field it is in. */
function variableUses(data: unknown, field = ''): Array<{ field: string; path: string }> {
  if (typeof data === 'string') return findVariables(data).map((path) => ({ field, path }));
  const entries = Array.isArray(data)
    ? data.map((value, index) => [String(index), value] as const)
    : typeof data === 'object' && data !== null
      ? Object.entries(data)
      : [];
  return entries.flatMap(([key, value]) => variableUses(value, field ? `${field}.${key}` : key));
}

function propertyOf(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, key) ? Reflect.get(value, key) : undefined;
}

function itemAt(value: unknown, index: number): unknown {
  return Array.isArray(value) ? value[index] : undefined;
}

function list(exits: readonly string[]): string {
  return exits.map((exit) => `"${exit}"`).join(', ');
}
