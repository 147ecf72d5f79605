import type { AnyNodeDefinition } from '../sdk/define-node.ts';
import type { WorkflowNode } from '../workflow/schema.ts';
import { type ParsedData, parseWithSchema } from '../workflow/validate-data.ts';

/**
 * Settings parsed once per node object: published versions are cached in-process, so each node
 * of a version is checked once, not at every step.
 */
const parsed = new WeakMap<WorkflowNode, ParsedData>();

/** A node's settings checked as validation checks them, so a run words a bad one as the editor does. */
export function settingsOf(node: WorkflowNode, definition: AnyNodeDefinition): ParsedData {
  let settings = parsed.get(node);
  if (!settings) {
    settings = parseWithSchema(definition.schema, node.data);
    parsed.set(node, settings);
  }
  return settings;
}
