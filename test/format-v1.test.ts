import { availableVariables, validateWorkflow, WorkflowInput } from '@convoflow/engine';
import { definitions } from '@convoflow/nodes';
import { describe, expect, it } from 'vitest';
import { example } from './support/examples.ts';

describe('workflow file format v1', () => {
  // DESIGN.md's format-v1 document ships as this example: it must parse and validate unchanged.
  const document: unknown = example('csat-sheets-and-crm');

  it('parses with the v1 schema', () => {
    expect(WorkflowInput.safeParse(document).success).toBe(true);
  });

  it("validates against the real node definitions with DESIGN.md's document unchanged", () => {
    expect(validateWorkflow(document, definitions)).toEqual({ valid: true, problems: [] });
  });

  it('offers $rating and the trigger variables to the steps after the question', () => {
    const workflow = WorkflowInput.parse(document);
    const names = availableVariables(workflow, 'crm', definitions).map((spec) => spec.name);
    expect(names).toEqual(expect.arrayContaining(['conversation.id', 'contact.name', 'assignee.name', 'rating']));
    expect(availableVariables(workflow, 'ask', definitions).map((spec) => spec.name)).not.toContain('rating');
  });

  it('refuses $rating on the path taken when the question was never answered', () => {
    const workflow = WorkflowInput.parse(document);
    workflow.edges = workflow.edges.map((edge) => (edge.id === 'e2' ? { ...edge, sourceHandle: 'invalid' } : edge));
    const report = validateWorkflow(workflow, definitions);
    expect(report.valid).toBe(false);
    expect(report.problems).toContainEqual(
      expect.objectContaining({ nodeId: 'sheet', message: expect.stringContaining('"$rating" is not set') }),
    );
  });
});
