import { cleanup, render, screen, within } from '@testing-library/react';
import { ReactFlowProvider } from '@xyflow/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixtureDefinitions } from '../../../test/fixtures/nodes/index.ts';
import { confirmWorkflow } from '../../../test/fixtures/nodes/workflow.ts';
import { NodeForm } from '../forms/NodeForm.tsx';
import { AddNodeMenu } from './AddNodeMenu.tsx';
import { FlowCanvas } from './FlowCanvas.tsx';
import { NodeTypesProvider } from './node-types.ts';
import { Palette } from './Palette.tsx';
import { useCanvasStore } from './store.ts';

/**
 * `fixture.confirm` lives in test/fixtures/nodes/confirm/ and no editor file names it: the
 * card and the form below come from its definition alone, given as the registry to render.
 */
describe('a node type known only by its definition', () => {
  beforeEach(() => useCanvasStore.getState().load(structuredClone({ id: 'confirm-wf', ...confirmWorkflow })));
  afterEach(cleanup);

  it('gets its card: title, group colour, summary, one handle per exit with its label', () => {
    render(
      <ReactFlowProvider>
        <NodeTypesProvider value={fixtureDefinitions}>
          <FlowCanvas />
        </NodeTypesProvider>
      </ReactFlowProvider>,
    );
    const card = screen.getByTestId('node-confirm');
    expect(within(card).getByText('Confirm')).toBeTruthy();
    expect(card.className).toContain('node-card--questions');
    expect(within(card).getByText('Yes or no: Shall we call you back, $contact.name?')).toBeTruthy();
    for (const exit of ['yes', 'no', 'unclear']) expect(screen.getByTestId(`handle-confirm-${exit}`)).toBeTruthy();
    const labels = [...card.querySelectorAll('.node-card__exit-label')].map((label) => label.textContent);
    expect(labels).toEqual(['yes', 'no', 'neither']);
  });

  it('gets its form: field titles, a multiline question taking variables, a name without the picker', () => {
    render(
      <NodeTypesProvider value={fixtureDefinitions}>
        <NodeForm workflow={confirmWorkflow} nodeId="confirm" onChange={() => {}} />
      </NodeTypesProvider>,
    );
    expect(screen.getByLabelText(/^Question/)).toBeInstanceOf(HTMLTextAreaElement);
    expect(screen.getByRole('button', { name: 'Insert variable into Question' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Insert variable into Save answer as' })).toBeNull();
    const attempts = screen.getByLabelText(/^Attempts/);
    expect(attempts.getAttribute('type')).toBe('number');
    expect(attempts.getAttribute('placeholder')).toBe('2');
    expect(screen.getByText('Replies read before leaving by "unclear"')).toBeTruthy();
  });

  it('is offered in the palette and the "+" menu, in its group', () => {
    render(
      <NodeTypesProvider value={fixtureDefinitions}>
        <Palette onAdd={() => {}} />
        <AddNodeMenu anchor={document.body} onPick={() => {}} onClose={() => {}} />
      </NodeTypesProvider>,
    );
    const questions = screen.getByRole('region', { name: 'Questions' });
    expect(within(questions).getByTestId('palette-fixture.confirm').textContent).toContain('Confirm');
    expect(screen.getByTestId('add-menu-fixture.confirm')).toBeTruthy();
  });

  it('is unknown to the editor without the registry that holds it', () => {
    render(<NodeForm workflow={confirmWorkflow} nodeId="confirm" onChange={() => {}} />);
    expect(screen.getByText(/Unknown node type “fixture.confirm”/)).toBeTruthy();
  });
});
