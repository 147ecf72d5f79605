/** What the command palette (Ctrl/Cmd+K) offers: a step type to add, a step to go to, a workflow to open. */
export type Command =
  | { kind: 'add'; key: string; type: string; label: string; detail: string }
  | { kind: 'step'; key: string; nodeId: string; label: string; detail: string }
  | { kind: 'workflow'; key: string; workflowId: string; label: string; detail: string };

export interface CommandSources {
  /** Step types that can be added (triggers excluded: a workflow has one). */
  types: readonly { type: string; label: string; description: string; group: string }[];
  /** The steps in the graph: id, its name if it has one, its type's label, the gist of its settings. */
  steps: readonly { id: string; name?: string | undefined; typeLabel: string; summary?: string | undefined }[];
  /** Other workflows (the open one excluded). */
  workflows: readonly { id: string; name: string }[];
}

const LIMIT = 50;
/** With no query: what is on this canvas first, then what can be added, then elsewhere. */
const kindOrder: Record<Command['kind'], number> = { step: 0, add: 1, workflow: 2 };

/**
 * The commands matching `query`: every word of it appears in the command's label or details
 * (case-insensitive); the best first: labels starting with the query, then labels with a word
 * starting with it, then labels containing it, then matches in the details.
 */
export function commandResults(query: string, sources: CommandSources): Command[] {
  const all: Command[] = [
    ...sources.steps.map(
      (step): Command => ({
        kind: 'step',
        key: `step:${step.id}`,
        nodeId: step.id,
        label: step.name || step.id,
        detail: [step.typeLabel, step.name ? step.id : '', step.summary ?? ''].filter(Boolean).join(' · '),
      }),
    ),
    ...sources.types.map(
      (type): Command => ({
        kind: 'add',
        key: `add:${type.type}`,
        type: type.type,
        label: type.label,
        detail: `${type.group} · ${type.description}`,
      }),
    ),
    ...sources.workflows.map(
      (workflow): Command => ({
        kind: 'workflow',
        key: `workflow:${workflow.id}`,
        workflowId: workflow.id,
        label: workflow.name,
        detail: workflow.id,
      }),
    ),
  ];
  const wanted = query.trim().toLowerCase();
  if (!wanted) return all.slice(0, LIMIT);
  const words = wanted.split(/\s+/);
  return all
    .flatMap((command) => {
      const label = command.label.toLowerCase();
      const text = `${label} ${command.detail.toLowerCase()}`;
      if (!words.every((word) => text.includes(word))) return [];
      return [{ command, score: scoreOf(label, wanted) }];
    })
    .sort((a, b) => a.score - b.score || kindOrder[a.command.kind] - kindOrder[b.command.kind])
    .slice(0, LIMIT)
    .map(({ command }) => command);
}

function scoreOf(label: string, wanted: string): number {
  if (label.startsWith(wanted)) return 0;
  if (label.split(/[\s._-]+/).some((word) => word.startsWith(wanted))) return 1;
  if (label.includes(wanted)) return 2;
  return 3;
}
