import { z } from 'zod';
import type { ConnectionSummary } from '../contract/connections.ts';
import type { ValidationProblem, ValidationReport } from '../contract/workflows.ts';
import type { NodeRegistry, SecretReference } from '../sdk/define-node.ts';
import { WorkflowNode } from '../workflow/schema.ts';
import { validateWorkflow } from '../workflow/validate.ts';
import { parseWithSchema } from '../workflow/validate-data.ts';
import { definitionOf } from './node-lookup.ts';

/**
 * `validateWorkflow` plus what only the stored connections can tell: that each
 * `{{secret:<id>}}` a node takes names a connection of type `secret`. What publishing runs.
 */
export async function validateWithSecrets(
  workflow: unknown,
  definitions: NodeRegistry,
  connections: { list(): Promise<ConnectionSummary[]> },
): Promise<ValidationReport> {
  const report = validateWorkflow(workflow, definitions);
  const uses = secretUses(workflow, definitions);
  if (uses.length === 0) return report;
  const byId = new Map((await connections.list()).map((connection) => [connection.id, connection]));
  const problems = [...report.problems, ...uses.flatMap((use) => secretProblem(use, byId.get(use.connectionId)))];
  return { valid: problems.length === 0, problems };
}

type SecretUse = SecretReference & { nodeId: string };

/** References in nodes whose data parses; a node that does not is already a problem of its own. */
function secretUses(workflow: unknown, definitions: NodeRegistry): SecretUse[] {
  const document = z.object({ nodes: z.array(z.unknown()) }).safeParse(workflow);
  if (!document.success) return [];
  return document.data.nodes.flatMap((candidate) => {
    const node = WorkflowNode.safeParse(candidate);
    if (!node.success) return [];
    const definition = definitionOf(definitions, node.data.type);
    if (!definition?.secretReferences) return [];
    const parsed = parseWithSchema(definition.schema, node.data.data);
    if (!parsed.ok) return [];
    return definition.secretReferences(parsed.data).map((reference) => ({ ...reference, nodeId: node.data.id }));
  });
}

function secretProblem(use: SecretUse, connection: ConnectionSummary | undefined): ValidationProblem[] {
  const at = { nodeId: use.nodeId, field: use.field };
  if (!connection) {
    return [
      {
        ...at,
        message: `There is no secret "${use.connectionId}": add it (POST /api/connections with type "secret") or fix {{secret:${use.connectionId}}}.`,
      },
    ];
  }
  if (connection.type !== 'secret') {
    return [
      {
        ...at,
        message: `"${use.connectionId}" is a ${connection.type} connection, not a secret: {{secret:…}} takes only connections of type "secret".`,
      },
    ];
  }
  return [];
}
