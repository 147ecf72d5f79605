import type { StepRef, VersionChanges } from '../contract/workflows.ts';
import { canonicalJson } from '../stores/canonical-json.ts';
import type { Workflow, WorkflowEdge, WorkflowNode } from './schema.ts';

type Comparable = Pick<Workflow, 'name' | 'nodes' | 'edges' | 'settings' | 'notes'>;

/**
 * What changed from `previous` to `next`, as the versions list shows it. Steps are matched by
 * id (the stable reference runs and edges use); moving a step on the canvas is not a change.
 * Edges are compared by what they connect, not by their id, which the editor may regenerate.
 */
export function diffVersions(previous: Comparable, next: Comparable): VersionChanges {
  const before = new Map(previous.nodes.map((node) => [node.id, node]));
  const after = new Map(next.nodes.map((node) => [node.id, node]));
  const changed: VersionChanges['changed'] = [];
  for (const node of next.nodes) {
    const old = before.get(node.id);
    if (!old) continue;
    const fields = changedFields(old, node);
    if (fields.length > 0) changed.push({ ...stepRef(node), fields });
  }
  const edgesBefore = new Set(previous.edges.map(edgeKey));
  const edgesAfter = new Set(next.edges.map(edgeKey));
  return {
    added: next.nodes.filter((node) => !before.has(node.id)).map(stepRef),
    removed: previous.nodes.filter((node) => !after.has(node.id)).map(stepRef),
    changed,
    edgesAdded: [...edgesAfter].filter((key) => !edgesBefore.has(key)).length,
    edgesRemoved: [...edgesBefore].filter((key) => !edgesAfter.has(key)).length,
    nameChanged: previous.name !== next.name,
    settingsChanged: canonicalJson(previous.settings) !== canonicalJson(next.settings),
    notesChanged: canonicalJson(previous.notes ?? []) !== canonicalJson(next.notes ?? []),
  };
}

function changedFields(old: WorkflowNode, node: WorkflowNode): VersionChanges['changed'][number]['fields'] {
  const fields: VersionChanges['changed'][number]['fields'] = [];
  if (old.type !== node.type) fields.push('type');
  if (canonicalJson(old.data) !== canonicalJson(node.data)) fields.push('data');
  if ((old.label ?? '') !== (node.label ?? '')) fields.push('label');
  return fields;
}

function stepRef(node: WorkflowNode): StepRef {
  return { id: node.id, type: node.type, label: node.label || null };
}

function edgeKey(edge: WorkflowEdge): string {
  return JSON.stringify([edge.source, edge.sourceHandle ?? null, edge.target]);
}
