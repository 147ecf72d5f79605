import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { ReactFlowProvider } from '@xyflow/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csatWorkflow } from './csat.fixture.ts';
import { FlowCanvas } from './FlowCanvas.tsx';
import { useCanvasStore } from './store.ts';

const canvas = (sidePanelOpen: boolean) => (
  <ReactFlowProvider>
    <FlowCanvas sidePanelOpen={sidePanelOpen} />
  </ReactFlowProvider>
);
const minimap = () => screen.queryByLabelText('Minimap');
const toggle = () => screen.getByTestId('minimap-toggle');

describe('FlowCanvas minimap', () => {
  beforeEach(() => useCanvasStore.getState().load(structuredClone(csatWorkflow)));
  afterEach(cleanup);

  it('shows the minimap on the bare canvas and hides it while a side panel is open', () => {
    const view = render(canvas(false));
    expect(minimap()).not.toBeNull();
    expect(toggle().getAttribute('aria-label')).toBe('Hide minimap');

    view.rerender(canvas(true));
    expect(minimap()).toBeNull();
    expect(toggle().getAttribute('aria-label')).toBe('Show minimap');
  });

  it('remembers the operator’s choice for each situation', () => {
    const view = render(canvas(true));
    fireEvent.click(toggle());
    expect(minimap()).not.toBeNull();

    view.rerender(canvas(false));
    fireEvent.click(toggle());
    expect(minimap()).toBeNull();

    view.rerender(canvas(true));
    expect(minimap()).not.toBeNull();
    view.rerender(canvas(false));
    expect(minimap()).toBeNull();
  });
});
