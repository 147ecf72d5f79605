import type { WorkflowListItem } from '@convoflow/engine';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../shared/testServer.ts';
import { CommandPalette, openCommandPalette } from './CommandPalette.tsx';
import type { Command } from './commandResults.ts';
import { csatWorkflow } from './csat.fixture.ts';
import { useCanvasStore } from './store.ts';

const other: WorkflowListItem = {
  id: 'low-score-alert',
  name: 'Low score alert',
  status: 'draft',
  hasUnpublishedChanges: false,
  publishedVersion: null,
  activeRuns: 0,
  createdAt: 1,
  updatedAt: 1,
  triggerType: null,
  runsLast24h: 0,
  failuresLast24h: 0,
};

let server: TestServer;
beforeEach(async () => {
  useCanvasStore.getState().load(structuredClone(csatWorkflow));
  server = await startTestServer({
    'GET /api/workflows': () => ({ json: [{ ...other, id: 'csat', name: 'CSAT itself' }, other] }),
  });
});
afterEach(async () => {
  cleanup();
  await server.close();
});

/**
 * Opens the palette with Ctrl+K (Cmd+K with `meta`), waits for the workflows it lists, and
 * types `query`; returns the search box.
 */
async function openAndType(query: string, meta = false): Promise<HTMLElement> {
  act(() => {
    fireEvent.keyDown(window, { key: 'k', ctrlKey: !meta, metaKey: meta });
  });
  await screen.findByTestId('command-workflow:low-score-alert');
  const search = screen.getByRole('combobox', { name: 'Search step types, steps and workflows' });
  fireEvent.change(search, { target: { value: query } });
  return search;
}

describe('the command palette', () => {
  it('opens on Ctrl+K as a dialog whose search box names the current result', async () => {
    render(<CommandPalette workflowId="csat" onChoose={() => {}} />);
    expect(screen.queryByRole('dialog')).toBeNull();
    const search = await openAndType('');
    expect(screen.getByRole('dialog', { name: 'Command palette' })).toBeTruthy();
    expect(document.activeElement).toBe(search);
    const options = screen.getAllByRole('option');
    expect(options[0]?.getAttribute('aria-selected')).toBe('true');
    expect(search.getAttribute('aria-activedescendant')).toBe(options[0]?.id);
  });

  it('adds a step type: typed, then Enter', async () => {
    const onChoose = vi.fn<(command: Command) => void>();
    render(<CommandPalette workflowId="csat" onChoose={onChoose} />);
    const search = await openAndType('wait');
    fireEvent.keyDown(search, { key: 'Enter' });
    expect(onChoose).toHaveBeenCalledWith(expect.objectContaining({ kind: 'add', type: 'wait' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('goes to a step with the arrow keys, found by what it says', async () => {
    const onChoose = vi.fn<(command: Command) => void>();
    render(<CommandPalette workflowId="csat" onChoose={onChoose} />);
    const search = await openAndType('sheet');
    const options = screen.getAllByRole('option');
    expect(options[0]?.textContent).toContain('Go to step');
    fireEvent.keyDown(search, { key: 'ArrowDown' });
    fireEvent.keyDown(search, { key: 'ArrowUp' });
    expect(search.getAttribute('aria-activedescendant')).toBe(options[0]?.id);
    fireEvent.keyDown(search, { key: 'Enter' });
    expect(onChoose).toHaveBeenCalledWith(expect.objectContaining({ kind: 'step', nodeId: 'sheet' }));
  });

  it('opens another workflow (not the one open), chosen with Cmd+K and a click', async () => {
    const onChoose = vi.fn<(command: Command) => void>();
    render(<CommandPalette workflowId="csat" onChoose={onChoose} />);
    await openAndType('alert', true);
    const option = await screen.findByTestId('command-workflow:low-score-alert');
    expect(screen.queryByTestId('command-workflow:csat')).toBeNull();
    fireEvent.click(option);
    expect(onChoose).toHaveBeenCalledWith(expect.objectContaining({ kind: 'workflow', workflowId: 'low-score-alert' }));
  });

  it('opens from the toolbar’s search button too', async () => {
    render(<CommandPalette workflowId="csat" onChoose={() => {}} />);
    act(() => openCommandPalette());
    expect(await screen.findByRole('dialog', { name: 'Command palette' })).toBeTruthy();
  });

  it('says when nothing matches, and closes on Escape', async () => {
    render(<CommandPalette workflowId="csat" onChoose={() => {}} />);
    const search = await openAndType('zebra');
    expect(screen.getByRole('status').textContent).toBe('Nothing matches “zebra”.');
    fireEvent.keyDown(search, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });
});
