import type { Workflow, WorkflowInput } from '@convoflow/engine';

/** The file format v1 document for a workflow: what `examples/` holds and import takes. */
export function toFile(workflow: WorkflowInput | Workflow): WorkflowInput {
  const { name, description, nodes, edges, settings, notes } = workflow;
  return {
    name,
    ...(description ? { description } : {}),
    nodes,
    edges,
    settings,
    ...(notes && notes.length > 0 ? { notes } : {}),
  };
}

/** Saves the workflow as `<name>.json` through the browser's download. */
export function downloadWorkflow(workflow: WorkflowInput | Workflow): void {
  const blob = new Blob([`${JSON.stringify(toFile(workflow), null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `${fileName(workflow.name)}.json`;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

function fileName(name: string): string {
  return (
    name
      .trim()
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .toLowerCase() || 'workflow'
  );
}

/** Reads a chosen file as JSON; a file that is not JSON says so in words. */
export async function readJsonFile(file: File): Promise<unknown> {
  const text = await file.text();
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`“${file.name}” is not a JSON file: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A new workflow: just its trigger, the graph's only entry. */
export function newWorkflow(name: string, triggerType: string): WorkflowInput {
  return {
    name,
    nodes: [{ id: 'start', type: triggerType, position: { x: 0, y: 0 }, data: {} }],
    edges: [],
    settings: { reenrollment: { mode: 'always' } },
  };
}
