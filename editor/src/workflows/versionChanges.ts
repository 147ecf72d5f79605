import type { StepRef, VersionChanges } from '@convoflow/engine';
import { stepTitle } from '../canvas/node-types.ts';

const fieldWords: Record<VersionChanges['changed'][number]['fields'][number], string> = {
  type: 'type',
  data: 'settings',
  label: 'name',
};

/** A step as the versions list names it: its name, else its type's label, with its id. */
export function stepText(step: StepRef): string {
  return `${stepTitle(step.type, step.label)} (${step.id})`;
}

/** What changed against the previous version, one line per kind of change, in words. */
export function changeLines(changes: VersionChanges): string[] {
  const lines: string[] = [];
  if (changes.added.length > 0) lines.push(`Added: ${changes.added.map(stepText).join(', ')}`);
  if (changes.removed.length > 0) lines.push(`Removed: ${changes.removed.map(stepText).join(', ')}`);
  if (changes.changed.length > 0) {
    const changed = changes.changed.map(
      (step) => `${stepText(step)}: ${step.fields.map((f) => fieldWords[f]).join(', ')}`,
    );
    lines.push(`Changed: ${changed.join('; ')}`);
  }
  const edges = [
    changes.edgesAdded > 0 ? `${plural(changes.edgesAdded, 'connection')} added` : '',
    changes.edgesRemoved > 0 ? `${plural(changes.edgesRemoved, 'connection')} removed` : '',
  ].filter(Boolean);
  if (edges.length > 0) lines.push(capitalise(edges.join(', ')));
  const other = [
    changes.nameChanged ? 'workflow name' : '',
    changes.settingsChanged ? 'workflow settings' : '',
    changes.notesChanged ? 'sticky notes' : '',
  ].filter(Boolean);
  if (other.length > 0) lines.push(`Also changed: ${other.join(', ')}`);
  return lines.length > 0 ? lines : ['No changes to the steps (only positions on the canvas)'];
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
