import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { ReactFlowProvider } from '@xyflow/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csatWorkflow } from './csat.fixture.ts';
import { ProblemsList } from './ProblemsList.tsx';
import { useCanvasStore } from './store.ts';

const store = () => useCanvasStore.getState();

const renderList = () =>
  render(
    <ReactFlowProvider>
      <ProblemsList />
    </ReactFlowProvider>,
  );

describe('ProblemsList', () => {
  beforeEach(() => store().load(structuredClone(csatWorkflow)));
  afterEach(cleanup);

  it('says so when there is nothing to fix', () => {
    store().setProblems([]);
    renderList();
    expect(screen.getByTestId('problems').textContent).toContain('No problems');
    expect(screen.queryByTestId('problem')).toBeNull();
  });

  it('names each problem’s step by its label, with the id second', () => {
    store().setProblems([{ nodeId: 'ask', field: 'question', message: 'write the question to ask' }]);
    renderList();
    const problem = screen.getByTestId('problem');
    expect(problem.getAttribute('data-node-id')).toBe('ask');
    expect(problem.querySelector('.problems__node')?.textContent).toBe('Ask question ask');
    expect(problem.textContent).toContain('write the question to ask');
  });

  it('selects the step and opens its panel when a problem is chosen', () => {
    store().setProblems([{ nodeId: 'ask', field: 'question', message: 'write the question to ask' }]);
    renderList();
    fireEvent.click(screen.getByTestId('problem'));
    expect(store().openNodeId).toBe('ask');
    expect(
      store()
        .nodes.filter((node) => node.selected)
        .map((node) => node.id),
    ).toEqual(['ask']);
  });

  it('collapses to its count and expands again', () => {
    store().setProblems([
      { nodeId: 'ask', field: 'question', message: 'write the question to ask' },
      { message: 'the workflow has no trigger' },
    ]);
    renderList();
    const toggle = within(screen.getByTestId('problems')).getByRole('button', { name: /2 problems/ });
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryAllByTestId('problem')).toHaveLength(0);
    fireEvent.click(toggle);
    expect(screen.getAllByTestId('problem')).toHaveLength(2);
  });
});
