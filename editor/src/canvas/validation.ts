import {
  availableVariables,
  type NodeRegistry,
  type ValidationProblem,
  type VariableSpec,
  validateWorkflow,
  type WorkflowInput,
} from '@convoflow/engine';
import { definitions } from '@convoflow/nodes';

/** The engine's own graph validation, run in the browser on the unsaved draft. */
export function problemsOf(workflow: WorkflowInput): ValidationProblem[] {
  return validateWorkflow(workflow, definitions).problems;
}

/**
 * Variables produced upstream of `nodeId` on every path: what its text fields may use, the
 * nearest steps' first (what the step before just saved, then earlier ones, the trigger's last).
 */
export function variablesAt(
  workflow: WorkflowInput,
  nodeId: string,
  types: NodeRegistry = definitions,
): readonly VariableSpec[] {
  const distance = upstreamDistance(workflow, nodeId, types);
  const far = Number.POSITIVE_INFINITY;
  return [...availableVariables(workflow, nodeId, types)].sort(
    (a, b) => (distance.get(a.name) ?? far) - (distance.get(b.name) ?? far),
  );
}

/** For each variable a step upstream sets: how many steps back the nearest such step is. */
function upstreamDistance(workflow: WorkflowInput, nodeId: string, types: NodeRegistry): Map<string, number> {
  const distance = new Map<string, number>();
  const seen = new Set([nodeId]);
  let frontier = [nodeId];
  for (let steps = 1; frontier.length > 0; steps++) {
    const sources = workflow.edges
      .filter((edge) => frontier.includes(edge.target) && !seen.has(edge.source))
      .map((edge) => edge.source);
    frontier = [...new Set(sources)];
    for (const id of frontier) {
      seen.add(id);
      for (const name of variablesSetBy(workflow, id, types)) if (!distance.has(name)) distance.set(name, steps);
    }
  }
  return distance;
}

function variablesSetBy(workflow: WorkflowInput, nodeId: string, types: NodeRegistry): string[] {
  const node = workflow.nodes.find((candidate) => candidate.id === nodeId);
  const definition = node && Object.hasOwn(types, node.type) ? types[node.type] : undefined;
  const parsed = definition?.schema.safeParse(node?.data ?? {});
  if (!definition || !parsed?.success) return [];
  return definition.variables(parsed.data).map((variable) => variable.name);
}
