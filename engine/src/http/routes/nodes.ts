import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { StepTestRequest, StepTestResult } from '../../contract/runs.ts';
import type { EngineApi } from '../../runtime/engine-api.ts';
import type { AnyNodeDefinition, NodeRegistry } from '../../sdk/define-node.ts';
import { apiErrors, notFoundError } from '../error-body.ts';
import { roleRoute } from '../route-config.ts';

const tags = ['nodes'];
const NodeTypeInfo = z.object({
  type: z.string(),
  label: z.string(),
  group: z.string(),
  description: z.string(),
  icon: z.string(),
  /** JSON Schema of the node's `data`. */
  schema: z.record(z.string(), z.unknown()),
  pauses: z.boolean(),
  /** The event a trigger node starts runs on; null for other nodes. */
  trigger: z.enum(['conversation.closed', 'shortcut']).nullable(),
});
type NodeTypeInfo = z.infer<typeof NodeTypeInfo>;

const TypeParams = z.object({ type: z.string().min(1).max(100) });

interface NodeRouteOptions {
  engine: EngineApi;
  definitions: NodeRegistry;
}

/** The node registry's editor metadata (for non-JS clients) and single-step test runs. */
export const nodeRoutes: FastifyPluginAsyncZod<NodeRouteOptions> = async (app, { engine, definitions }) => {
  const nodeTypes = Object.values(definitions).map(describeNodeType);

  app.get(
    '/node-types',
    {
      config: roleRoute('read'),
      schema: {
        tags,
        summary: 'Every node type: label, group, icon, JSON Schema of its data, whether it pauses',
        response: { 200: z.array(NodeTypeInfo), ...apiErrors },
      },
    },
    async () => nodeTypes,
  );

  app.post(
    '/nodes/:type/test',
    {
      config: roleRoute('editor'),
      schema: {
        tags,
        summary: 'Run one step outside any run (e.g. send a test HTTP request)',
        params: TypeParams,
        body: StepTestRequest,
        response: { 200: StepTestResult, ...apiErrors, ...notFoundError },
      },
    },
    async (request) => engine.testStep(request.params.type, request.body.data, request.body.variables),
  );
};

function describeNodeType(definition: AnyNodeDefinition): NodeTypeInfo {
  return {
    type: definition.type,
    label: definition.label,
    group: definition.group,
    description: definition.description,
    icon: definition.icon,
    schema: z.toJSONSchema(definition.schema, { io: 'input', unrepresentable: 'any' }),
    pauses: definition.pauses === true,
    trigger: definition.trigger?.event ?? null,
  };
}
