import { definitions } from '@convoflow/nodes';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { csatWorkflow } from '../canvas/csat.fixture.ts';
import { variablesAt } from '../canvas/validation.ts';
import { NodeForm } from './NodeForm.tsx';
import { SchemaForm } from './SchemaForm.tsx';

const addRowSchema = definitions['googleSheets.addRow'].schema;
const sheetData = csatWorkflow.nodes.find((node) => node.id === 'sheet')?.data;
if (!addRowSchema || !sheetData) throw new Error('the fixture lacks the Google Sheets node');

afterEach(cleanup);

function openPicker(fieldLabel: string, index = 0) {
  const toggle = screen.getAllByRole('button', { name: `Insert variable into ${fieldLabel}` })[index];
  if (!toggle) throw new Error(`no variable picker on ${fieldLabel}`);
  fireEvent.click(toggle);
  return screen.getByRole('menu', { name: `Variables for ${fieldLabel}` });
}

/** The node panel's use of the form: edits flow back into the workflow. */
function Harness({ onChange }: { onChange: (data: Record<string, unknown>) => void }) {
  const [workflow, setWorkflow] = useState(csatWorkflow);
  return (
    <NodeForm
      workflow={workflow}
      nodeId="ask"
      onChange={(data) => {
        onChange(data);
        setWorkflow({
          ...workflow,
          nodes: workflow.nodes.map((node) => (node.id === 'ask' ? { ...node, data } : node)),
        });
      }}
    />
  );
}

const offered = (menu: HTMLElement) =>
  within(menu)
    .getAllByRole('menuitem')
    .map((item) => item.querySelector('code')?.textContent);

/** The sheet's form without its connection widget, which would call the API. */
function renderSheetForm() {
  render(
    <SchemaForm
      schema={addRowSchema}
      value={sheetData ?? {}}
      onChange={() => {}}
      variables={variablesAt(csatWorkflow, 'sheet')}
    />,
  );
}

describe('variable picker', () => {
  it('offers $rating on the sheet node, downstream of the question that saves it', () => {
    renderSheetForm();
    const menu = openPicker('Value');
    expect(offered(menu)).toContain('$rating');
    expect(offered(menu)).toContain('$contact.name');
  });

  it('does not offer $rating on the question node itself, only the trigger variables', () => {
    render(<NodeForm workflow={csatWorkflow} nodeId="ask" onChange={() => {}} />);
    const menu = openPicker('Question');
    expect(offered(menu)).not.toContain('$rating');
    expect(offered(menu)).toContain('$conversation.id');
  });

  it('lists the nearest step’s variables first, and narrows the list as one types', () => {
    renderSheetForm();
    const menu = openPicker('Value');
    expect(offered(menu)[0]).toBe('$rating');
    fireEvent.change(within(menu).getByRole('searchbox', { name: 'Find a variable for Value' }), {
      target: { value: '$contact' },
    });
    expect(offered(menu).length).toBeGreaterThan(0);
    expect(offered(menu).every((name) => name?.startsWith('$contact'))).toBe(true);
    fireEvent.change(within(menu).getByRole('searchbox'), { target: { value: 'nothing-like-this' } });
    expect(within(menu).getByText('No variable matches “nothing-like-this”.')).toBeTruthy();
  });

  it('inserts the variable at the cursor', () => {
    const onChange = vi.fn();
    render(<Harness onChange={onChange} />);
    const question = screen.getByLabelText(/^Question/);
    if (!(question instanceof HTMLTextAreaElement)) throw new Error('the question is not a textarea');
    fireEvent.change(question, { target: { value: 'Hi , how was it?' } });
    question.setSelectionRange(3, 3);

    fireEvent.click(within(openPicker('Question')).getByText('$contact.name'));

    expect(onChange.mock.lastCall?.[0].question).toBe('Hi $contact.name, how was it?');
    expect(question.value).toBe('Hi $contact.name, how was it?');
  });
});
