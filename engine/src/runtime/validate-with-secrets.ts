import { z } from 'zod';
import type { ConnectionSummary } from '../contract/connections.ts';
import type { ValidationProblem, ValidationReport } from '../contract/workflows.ts';
import type { ChannelRegistry } from '../sdk/define-channel.ts';
import type { NodeRegistry, SecretReference } from '../sdk/define-node.ts';
import { WorkflowNode } from '../workflow/schema.ts';
import { validateWorkflow } from '../workflow/validate.ts';
import { parseWithSchema } from '../workflow/validate-data.ts';
import { alertSecretProblems, alertSecretUses } from './alert-secrets.ts';
import { helpdeskDemand, helpdeskProblems, type KnownNode } from './helpdesk-channels.ts';
import { definitionOf } from './node-lookup.ts';

/**
 * `validateWorkflow` plus what only the stored connections can tell: that each
 * `{{secret:<id>}}` a node takes names a connection of type `secret`, and that the channel
 * connections the trigger is limited to can do the workflow's helpdesk steps (`channels`: the
 * channels' definitions by kind, none on a server without channels), and that the secrets the
 * failure alerts name exist. What publishing runs.
 */
export async function validateWithSecrets(
  workflow: unknown,
  definitions: NodeRegistry,
  connections: { list(): Promise<ConnectionSummary[]> },
  channels: ChannelRegistry = {},
): Promise<ValidationReport> {
  const report = validateWorkflow(workflow, definitions);
  const nodes = knownNodes(workflow, definitions);
  const uses = nodes.flatMap(secretUses);
  const helpdesk = helpdeskDemand(nodes);
  const alertUses = alertSecretUses(workflow);
  if (uses.length === 0 && !helpdesk && alertUses.length === 0) return report;
  const listed = await connections.list();
  const byId = new Map(listed.map((connection) => [connection.id, connection]));
  const problems = [
    ...report.problems,
    ...uses.flatMap((use) => secretProblem(use, byId.get(use.connectionId))),
    ...(helpdesk ? helpdeskProblems(helpdesk, listed, channels) : []),
    ...alertSecretProblems(alertUses, byId),
  ];
  return { valid: problems.length === 0, problems };
}

type SecretUse = SecretReference & { nodeId: string };

/** The document's well-formed nodes of known types; any other is already a problem of its own. */
function knownNodes(workflow: unknown, definitions: NodeRegistry): KnownNode[] {
  const document = z.object({ nodes: z.array(z.unknown()) }).safeParse(workflow);
  if (!document.success) return [];
  return document.data.nodes.flatMap((candidate) => {
    const node = WorkflowNode.safeParse(candidate);
    const definition = node.success ? definitionOf(definitions, node.data.type) : undefined;
    return node.success && definition ? [{ node: node.data, definition }] : [];
  });
}

/** References in a node whose data parses; data that does not is already a problem of its own. */
function secretUses({ node, definition }: KnownNode): SecretUse[] {
  if (!definition.secretReferences) return [];
  const parsed = parseWithSchema(definition.schema, node.data);
  if (!parsed.ok) return [];
  return definition.secretReferences(parsed.data).map((reference) => ({ ...reference, nodeId: node.id }));
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
