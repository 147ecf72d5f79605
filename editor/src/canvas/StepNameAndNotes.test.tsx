import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { ReactFlowProvider } from '@xyflow/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StepTimeline } from '../runs/StepTimeline.tsx';
import { csatWorkflow } from './csat.fixture.ts';
import { FlowCanvas } from './FlowCanvas.tsx';
import { NodePanel } from './NodePanel.tsx';
import { useCanvasStore } from './store.ts';

const store = () => useCanvasStore.getState();
const note = { id: 'note-1', text: 'Check the wording with legal', position: { x: 400, y: 0 } };

describe('step names and sticky notes in the editor', () => {
  beforeEach(() => store().load({ ...structuredClone(csatWorkflow), notes: [note] }));
  afterEach(cleanup);

  it('renames a step from its panel: the card shows the name as its title and the type below it', () => {
    render(
      <ReactFlowProvider>
        <FlowCanvas />
        <NodePanel nodeId="ask" />
      </ReactFlowProvider>,
    );
    const title = screen.getByTestId('step-title-ask');
    expect(title.textContent).toBe('Ask question');

    fireEvent.change(screen.getByTestId('step-name'), { target: { value: 'Ask for a rating' } });
    expect(title.textContent).toBe('Ask for a ratingAsk question');
    expect(within(title).getByText('Ask question').className).toBe('node-card__type');
    expect(
      store()
        .toWorkflow()
        .nodes.find((node) => node.id === 'ask')?.label,
    ).toBe('Ask for a rating');
  });

  it('shows a sticky note without handles, edits its text and deletes it', () => {
    render(
      <ReactFlowProvider>
        <FlowCanvas />
      </ReactFlowProvider>,
    );
    const sticky = screen.getByTestId('sticky-note-1');
    expect(sticky.querySelector('.react-flow__handle')).toBeNull();
    const text = within(sticky).getByLabelText('Note');
    expect((text as HTMLTextAreaElement).value).toBe(note.text);

    fireEvent.change(text, { target: { value: 'Legal said yes' } });
    expect(store().toWorkflow().notes?.[0]?.text).toBe('Legal said yes');
    expect(store().dirty).toBe(true);

    fireEvent.click(screen.getByTestId('sticky-colour-note-1'));
    expect(store().toWorkflow().notes?.[0]?.color).toBe('blue');
    expect(screen.getByTestId('sticky-note-1').className).toContain('sticky--blue');

    fireEvent.click(within(sticky).getByRole('button', { name: 'Delete note' }));
    expect(screen.queryByTestId('sticky-note-1')).toBeNull();
    expect(store().toWorkflow()).not.toHaveProperty('notes');
  });

  it('shows the step name in a run log, and the type for unnamed steps', () => {
    const step = {
      nodeType: 'askQuestion',
      outcome: 'exited',
      exit: 'answered',
      startedAt: 1000,
      durationMs: 5,
    } as const;
    render(
      <StepTimeline
        steps={[
          { ...step, nodeId: 'ask' },
          { ...step, nodeId: 'ask-2' },
        ]}
        runStartedAt={1000}
        stepNames={{ ask: 'Ask for a rating' }}
      />,
    );
    expect(screen.getAllByTestId('step-name').map((name) => name.textContent)).toEqual([
      'Ask for a rating',
      'Ask question',
    ]);
  });
});
