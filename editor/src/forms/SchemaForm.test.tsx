import { WorkflowSettings } from '@convoflow/engine';
import { definitions } from '@convoflow/nodes';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { z } from 'zod';
import { SchemaForm } from './SchemaForm.tsx';

const askQuestion = definitions.askQuestion;
const addRow = definitions['googleSheets.addRow'];

afterEach(cleanup);

/** A controlled form whose every change is reported, as the node panel uses it. */
function Harness({
  schema,
  initial,
  onChange,
}: {
  schema: z.ZodType;
  initial: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
}) {
  const [value, setValue] = useState(initial);
  return (
    <SchemaForm
      schema={schema}
      value={value}
      onChange={(next) => {
        setValue(next);
        onChange(next);
      }}
    />
  );
}

const askData = {
  question: 'How satisfied are you?',
  answerType: 'rating',
  min: 1,
  max: 5,
  saveAs: 'rating',
  maxRetries: 2,
};

describe('SchemaForm: askQuestion', () => {
  it('shows choices in words, keeping their values', () => {
    const onChange = vi.fn();
    render(<Harness schema={askQuestion.schema} initial={askData} onChange={onChange} />);
    const answerType = screen.getByLabelText(/^Answer type/) as HTMLSelectElement;
    expect([...answerType.options].map((option) => option.textContent)).toEqual([
      'Rating',
      'Multiple choice',
      'Any text',
      'Number',
      'E-mail address',
    ]);
    fireEvent.change(answerType, { target: { value: 'multipleChoice' } });
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ answerType: 'multipleChoice' }));
    const metric = screen.getByLabelText(/^Survey metric/) as HTMLSelectElement;
    expect([...metric.options].map((option) => option.textContent)).toContain('CSAT (customer satisfaction)');
  });

  it('labels fields from meta, shows help, and renders enums as selects', () => {
    render(<Harness schema={askQuestion.schema} initial={askData} onChange={() => {}} />);

    expect(screen.getByLabelText(/^Question/)).toHaveProperty('value', 'How satisfied are you?');
    expect(screen.getByText('Sent to the contact; $variables are filled in')).toBeTruthy();
    const answerType = screen.getByLabelText(/^Answer type/);
    expect(answerType.tagName).toBe('SELECT');
    const values = within(answerType)
      .getAllByRole('option')
      .map((option) => option.getAttribute('value'));
    expect(values).toEqual(['rating', 'multipleChoice', 'text', 'number', 'email']);
    expect(screen.getByLabelText(/^Retries/)).toHaveProperty('type', 'number');
    expect(screen.getByRole('group', { name: 'Give up after' })).toBeTruthy();
  });

  it('calls onChange with data the schema accepts when a field is edited', () => {
    const onChange = vi.fn();
    render(<Harness schema={askQuestion.schema} initial={askData} onChange={onChange} />);

    fireEvent.change(screen.getByLabelText(/^Question/), { target: { value: 'How did we do?' } });
    fireEvent.change(screen.getByLabelText(/^Highest value/), { target: { value: '10' } });

    const last = onChange.mock.lastCall?.[0];
    expect(last).toMatchObject({ question: 'How did we do?', max: 10 });
    expect(askQuestion.schema.safeParse(last).success).toBe(true);
  });

  it('shows only the fields that apply to the answer type', () => {
    const form = (data: Record<string, unknown>) => (
      <SchemaForm
        schema={askQuestion.schema}
        value={data}
        onChange={() => {}}
        fieldConditions={askQuestion.fieldConditions}
      />
    );
    const shown = () => ({
      min: screen.queryByTestId('field-min') !== null,
      max: screen.queryByTestId('field-max') !== null,
      options: screen.queryByTestId('field-options') !== null,
      metric: screen.queryByTestId('field-metric') !== null,
    });
    const view = render(form(askData));
    expect(shown()).toEqual({ min: true, max: true, options: false, metric: true });

    const { answerType: _, ...withDefaultType } = askData;
    view.rerender(form(withDefaultType));
    expect(shown()).toEqual({ min: true, max: true, options: false, metric: true });

    view.rerender(form({ ...askData, answerType: 'multipleChoice' }));
    expect(shown()).toEqual({ min: false, max: false, options: true, metric: false });

    view.rerender(form({ ...askData, answerType: 'number' }));
    expect(shown()).toEqual({ min: true, max: true, options: false, metric: true });

    for (const answerType of ['text', 'email']) {
      view.rerender(form({ ...askData, answerType }));
      expect(shown()).toEqual({ min: false, max: false, options: false, metric: false });
      expect(screen.getByTestId('field-saveAs')).toBeTruthy();
    }
  });

  it('shows a field error inline when the value breaks the schema', () => {
    render(<Harness schema={askQuestion.schema} initial={{ ...askData, saveAs: 'contact' }} onChange={() => {}} />);
    const field = screen.getByTestId('field-saveAs');
    expect(within(field).getByRole('alert').textContent).toMatch(/reserved/);
  });
});

describe('SchemaForm: googleSheets.addRow', () => {
  const sheetData = {
    connectionId: 'google',
    spreadsheetId: '1AbC',
    sheet: 'CSAT',
    columns: [{ column: 'Rating', value: '$rating' }],
  };

  it('adds and removes column rows, reporting valid data', () => {
    const onChange = vi.fn();
    render(<Harness schema={addRow.schema} initial={sheetData} onChange={onChange} />);
    const columns = screen.getByRole('group', { name: 'Columns' });
    expect(within(columns).getAllByLabelText(/^Column/)).toHaveLength(1);

    fireEvent.click(screen.getByRole('button', { name: 'Add Columns row' }));
    const columnInputs = within(columns).getAllByLabelText(/^Column/);
    expect(columnInputs).toHaveLength(2);
    fireEvent.change(columnInputs[1] as HTMLElement, { target: { value: 'Agent' } });
    fireEvent.change(within(columns).getAllByLabelText(/^Value/)[1] as HTMLElement, {
      target: { value: '$assignee.name' },
    });

    const afterAdd = onChange.mock.lastCall?.[0];
    expect(afterAdd.columns).toEqual([
      { column: 'Rating', value: '$rating' },
      { column: 'Agent', value: '$assignee.name' },
    ]);
    expect(addRow.schema.safeParse(afterAdd).success).toBe(true);

    fireEvent.click(screen.getByRole('button', { name: 'Remove Columns row 1' }));
    expect(onChange.mock.lastCall?.[0].columns).toEqual([{ column: 'Agent', value: '$assignee.name' }]);
    expect(within(columns).getAllByLabelText(/^Column/)).toHaveLength(1);
  });

  it('labels every field from meta', () => {
    render(<Harness schema={addRow.schema} initial={sheetData} onChange={() => {}} />);
    for (const label of [/^Google connection/, /^Spreadsheet id/, /^Sheet \(tab\)/])
      expect(screen.getByLabelText(label)).toBeTruthy();
  });
});

describe('SchemaForm: workflow settings', () => {
  it('names re-enrolment and its modes in words, keeping their values', () => {
    const onChange = vi.fn();
    const schema = WorkflowSettings.omit({ alerts: true });
    render(<Harness schema={schema} initial={{ reenrollment: { mode: 'always' } }} onChange={onChange} />);
    const mode = screen.getByLabelText(/^Re-enrolment/) as HTMLSelectElement;
    expect([...mode.options].map((option) => option.textContent)).toEqual([
      'Every time (each closed conversation)',
      'Only once per contact',
      'Again after a waiting time',
    ]);
    expect(screen.getByText(/can enter this workflow again/)).toBeTruthy();
    fireEvent.change(mode, { target: { value: 'after' } });
    expect(onChange).toHaveBeenLastCalledWith({ reenrollment: expect.objectContaining({ mode: 'after' }) });
    expect(screen.getByText('Waiting time')).toBeTruthy();
  });
});
