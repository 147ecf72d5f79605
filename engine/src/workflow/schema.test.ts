import { describe, expect, it } from 'vitest';
import { testDefinitions } from '../testing/test-nodes.ts';
import { STEP_LABEL_MAX_LENGTH, STICKY_NOTE_MAX_COUNT, STICKY_NOTE_MAX_TEXT_LENGTH, WorkflowInput } from './schema.ts';
import { csat } from './validate.fixtures.ts';
import { validateWorkflow } from './validate.ts';

const note = { id: 'n1', text: 'Ask legal before changing the wording', position: { x: 10, y: 20 } };

describe('workflow file format: step names, sticky notes, description', () => {
  it('accepts a step name, trimmed, and keeps it through parsing', () => {
    const doc = {
      ...csat,
      nodes: csat.nodes.map((node, i) => (i === 0 ? { ...node, label: '  Chat closed  ' } : node)),
    };
    expect(WorkflowInput.parse(doc).nodes[0]?.label).toBe('Chat closed');
  });

  it('refuses a step name longer than the limit, naming the limit', () => {
    const doc = { ...csat, nodes: [{ ...csat.nodes[0], label: 'x'.repeat(STEP_LABEL_MAX_LENGTH + 1) }] };
    const result = WorkflowInput.safeParse(doc);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(`at most ${STEP_LABEL_MAX_LENGTH} characters`);
  });

  it('keeps sticky notes and a description, and validation ignores the notes', () => {
    const doc = { ...csat, description: 'Ask for a rating', notes: [{ ...note, width: 200, color: 'blue' }] };
    const parsed = WorkflowInput.parse(doc);
    expect(parsed.notes).toEqual([{ ...note, width: 200, color: 'blue' }]);
    expect(parsed.description).toBe('Ask for a rating');
    expect(validateWorkflow(doc, testDefinitions)).toEqual({ valid: true, problems: [] });
  });

  it('refuses too many notes or a note too long, naming the limit', () => {
    const many = Array.from({ length: STICKY_NOTE_MAX_COUNT + 1 }, (_, i) => ({ ...note, id: `n${i}` }));
    expect(JSON.stringify(WorkflowInput.safeParse({ ...csat, notes: many }).error?.issues)).toContain(
      `at most ${STICKY_NOTE_MAX_COUNT} sticky notes`,
    );
    const long = [{ ...note, text: 'x'.repeat(STICKY_NOTE_MAX_TEXT_LENGTH + 1) }];
    expect(JSON.stringify(WorkflowInput.safeParse({ ...csat, notes: long }).error?.issues)).toContain(
      `at most ${STICKY_NOTE_MAX_TEXT_LENGTH} characters`,
    );
  });
});
