import type { WorkflowListItem } from '@convoflow/engine';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { api } from '../api/client.ts';
import { type Command, type CommandSources, commandResults } from './commandResults.ts';
import { definitionOf, summaryOf, useNodeTypes } from './node-types.ts';
import { useCanvasStore } from './store.ts';

const kindLabel: Record<Command['kind'], string> = { add: 'Add step', step: 'Go to step', workflow: 'Open workflow' };

const OPEN_EVENT = 'convoflow:command-palette';

/** Opens the palette as Ctrl/Cmd+K does (the toolbar's search button). */
export function openCommandPalette(): void {
  window.dispatchEvent(new Event(OPEN_EVENT));
}

interface CommandPaletteProps {
  workflowId: string;
  onChoose: (command: Command) => void;
}

/**
 * Ctrl/Cmd+K: a search box over the step types to add, the steps of this workflow and the
 * other workflows. Arrow keys move through the results (the box keeps focus and names the
 * current one with aria-activedescendant), Enter takes it, Escape closes.
 */
export function CommandPalette({ workflowId, onChoose }: CommandPaletteProps) {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        setOpen((was) => !was);
      }
    };
    const onAsk = () => setOpen(true);
    window.addEventListener('keydown', onKey);
    window.addEventListener(OPEN_EVENT, onAsk);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener(OPEN_EVENT, onAsk);
    };
  }, []);
  if (!open) return null;
  return (
    <PaletteDialog
      workflowId={workflowId}
      onClose={() => setOpen(false)}
      onChoose={(command) => {
        setOpen(false);
        onChoose(command);
      }}
    />
  );
}

function PaletteDialog({ workflowId, onChoose, onClose }: CommandPaletteProps & { onClose: () => void }) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const sources = useSources(workflowId);
  const results = useMemo(() => commandResults(query, sources), [query, sources]);
  const ids = useId();
  const listId = `${ids}-list`;
  const optionId = (index: number) => `${ids}-option-${index}`;
  const list = useRef<HTMLDivElement>(null);
  const current = Math.min(active, results.length - 1);
  const returnFocus = useRef(document.activeElement);

  useEffect(() => {
    list.current?.querySelector(`[aria-selected="true"]`)?.scrollIntoView?.({ block: 'nearest' });
  });

  const close = () => {
    onClose();
    if (returnFocus.current instanceof HTMLElement) returnFocus.current.focus();
  };
  const choose = (command: Command | undefined) => command && onChoose(command);

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a press on the backdrop (outside the dialog) closes it, as Escape does
    // biome-ignore lint/a11y/useKeyWithClickEvents: Escape in the dialog is the keyboard's way out
    <div
      className="dialog-backdrop command-palette__backdrop"
      onClick={(event) => event.target === event.currentTarget && close()}
    >
      <div
        className="command-palette"
        role="dialog"
        aria-modal="true"
        aria-label="Command palette"
        data-testid="command-palette"
      >
        <input
          className="command-palette__search"
          // biome-ignore lint/a11y/noAutofocus: the palette exists to be typed into
          autoFocus
          role="combobox"
          aria-label="Search step types, steps and workflows"
          aria-expanded="true"
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={current >= 0 ? optionId(current) : undefined}
          placeholder="Add a step, go to a step, open a workflow…"
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            setActive(0);
          }}
          onKeyDown={(event) => {
            if (event.key === 'ArrowDown') setActive(Math.min(current + 1, results.length - 1));
            else if (event.key === 'ArrowUp') setActive(Math.max(current - 1, 0));
            else if (event.key === 'Enter') choose(results[current]);
            else if (event.key === 'Escape') close();
            else return;
            event.preventDefault();
          }}
        />
        <div className="command-palette__results" role="listbox" id={listId} aria-label="Results" ref={list}>
          {results.map((command, index) => (
            // biome-ignore lint/a11y/useKeyWithClickEvents: the search box drives the keyboard (arrows, Enter)
            <div
              key={command.key}
              // Focus stays in the search box (aria-activedescendant); -1 keeps a click from moving it here.
              tabIndex={-1}
              id={optionId(index)}
              role="option"
              aria-selected={index === current}
              className={`command-palette__option${index === current ? ' command-palette__option--active' : ''}`}
              data-testid={`command-${command.key}`}
              onMouseMove={() => index !== current && setActive(index)}
              onClick={() => choose(command)}
            >
              <span className={`command-palette__kind command-palette__kind--${command.kind}`}>
                {kindLabel[command.kind]}
              </span>
              <span className="command-palette__label">{command.label}</span>
              <span className="command-palette__detail">{command.detail}</span>
            </div>
          ))}
        </div>
        {results.length === 0 && (
          <p className="command-palette__empty" role="status">
            Nothing matches “{query}”.
          </p>
        )}
      </div>
    </div>
  );
}

/** The types, this canvas's steps, and the other workflows (loaded once the palette opens). */
function useSources(workflowId: string): CommandSources {
  const types = useNodeTypes();
  const nodes = useCanvasStore((state) => state.nodes);
  const [workflows, setWorkflows] = useState<readonly WorkflowListItem[]>([]);
  useEffect(() => {
    let open = true;
    api.workflows
      .list()
      .then((list) => open && setWorkflows(list))
      // Without the list the palette still finds types and steps.
      .catch(() => undefined);
    return () => {
      open = false;
    };
  }, []);
  return useMemo(
    () => ({
      types: Object.values(types)
        .filter((definition) => !definition.trigger)
        .map(({ type, label, description, group }) => ({ type, label, description, group })),
      steps: nodes.map((node) => {
        const definition = definitionOf(node.type, types);
        return {
          id: node.id,
          name: 'label' in node && typeof node.label === 'string' ? node.label : undefined,
          typeLabel: definition?.label ?? node.type ?? '',
          summary: summaryOf(definition, node.data),
        };
      }),
      workflows: workflows.filter((workflow) => workflow.id !== workflowId).map(({ id, name }) => ({ id, name })),
    }),
    [types, nodes, workflows, workflowId],
  );
}
