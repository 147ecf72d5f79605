import { availableVariables, validateWorkflow, WorkflowInput } from '@convoflow/engine';
import { definitions } from '@convoflow/nodes';
import { describe, expect, it } from 'vitest';

/** DESIGN.md, "Workflow file format, v1", verbatim: it must import, validate and publish unchanged. */
const formatV1 = String.raw`{
  "name": "CSAT survey to Google Sheets and CRM",
  "nodes": [
    { "id": "start", "type": "trigger.conversationClosed", "position": { "x": 0, "y": 0 }, "data": {} },
    { "id": "ask", "type": "askQuestion", "position": { "x": 0, "y": 150 }, "data": {
        "question": "How satisfied are you with this experience?",
        "answerType": "rating", "min": 1, "max": 5,
        "saveAs": "rating",
        "retryMessage": "Please answer with a number from 1 to 5.", "maxRetries": 2,
        "timeout": { "value": 24, "unit": "hours" } } },
    { "id": "sheet", "type": "googleSheets.addRow", "position": { "x": 0, "y": 300 }, "data": {
        "connectionId": "google", "spreadsheetId": "1AbC", "sheet": "CSAT",
        "columns": [
          { "column": "Conversation", "value": "$conversation.id" },
          { "column": "Contact", "value": "$contact.name" },
          { "column": "Agent", "value": "$assignee.name" },
          { "column": "Rating", "value": "$rating" } ] } },
    { "id": "crm", "type": "http.request", "position": { "x": 0, "y": 450 }, "data": {
        "method": "POST", "url": "https://crm.example.com/api/csat",
        "headers": [ { "name": "Content-Type", "value": "application/json" } ],
        "body": "{\"conversationId\": \"$conversation.id\", \"rating\": $rating}",
        "saveResponseAs": "crm" } }
  ],
  "edges": [
    { "id": "e1", "source": "start", "target": "ask" },
    { "id": "e2", "source": "ask", "sourceHandle": "answered", "target": "sheet" },
    { "id": "e3", "source": "sheet", "sourceHandle": "success", "target": "crm" }
  ],
  "settings": { "reenrollment": { "mode": "after", "after": { "value": 24, "unit": "hours" } } }
}`;

describe('workflow file format v1', () => {
  const document: unknown = JSON.parse(formatV1);

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
