import type { AnyNodeDefinition, NodeRegistry } from '../sdk/define-node.ts';
import type { NodeRunner, RunnerRegistry } from '../sdk/runner.ts';

/** Own entries only: a node type named "constructor" or "__proto__" is unknown, not Object's. */
export function definitionOf(definitions: NodeRegistry, type: string): AnyNodeDefinition | undefined {
  return Object.hasOwn(definitions, type) ? definitions[type] : undefined;
}

export function runnerOf(runners: RunnerRegistry, type: string): NodeRunner<unknown> | undefined {
  return Object.hasOwn(runners, type) ? runners[type] : undefined;
}
