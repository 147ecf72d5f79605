/** Browser-safe part of the engine: file format, node SDK, validation, templating, contract. */
export * from './contract/analytics.ts';
export * from './contract/connections.ts';
export * from './contract/events.ts';
export * from './contract/runs.ts';
export * from './contract/workflows.ts';
export * from './errors.ts';
export * from './sdk/define-node.ts';
export * from './sdk/errors.ts';
export * from './sdk/runner.ts';
export * from './sdk/testing.ts';
export * from './templating/render.ts';
export * from './workflow/duration.ts';
export * from './workflow/graph.ts';
export * from './workflow/schema.ts';
export * from './workflow/validate.ts';
export * from './workflow/validate-data.ts';
export * from './workflow/variables.ts';
