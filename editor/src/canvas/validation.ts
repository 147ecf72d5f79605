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

/** Variables produced upstream of `nodeId` on every path: what its text fields may use. */
export function variablesAt(
  workflow: WorkflowInput,
  nodeId: string,
  types: NodeRegistry = definitions,
): readonly VariableSpec[] {
  return availableVariables(workflow, nodeId, types);
}
