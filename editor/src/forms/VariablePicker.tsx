import type { VariableSpec } from '@convoflow/engine';
import { useEffect, useId, useRef, useState } from 'react';

interface VariablePickerProps {
  variables: readonly VariableSpec[];
  /** What the picker inserts into, for its accessible name. */
  fieldLabel: string;
  onPick: (token: string) => void;
}

/** A small menu of the variables available at this node; picking one yields `$name`. */
export function VariablePicker({ variables, fieldLabel, onPick }: VariablePickerProps) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const listId = useId();
  const wanted = query.trim().replace(/^\$/, '').toLowerCase();
  const shown = variables.filter(
    (variable) =>
      wanted === '' ||
      variable.name.toLowerCase().includes(wanted) ||
      (variable.description ?? '').toLowerCase().includes(wanted),
  );
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent) => {
      if (event.target instanceof Node && root.current?.contains(event.target)) return;
      setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);

  return (
    <div className="variable-picker" ref={root}>
      <button
        type="button"
        className="variable-picker__toggle"
        aria-expanded={open}
        aria-controls={listId}
        title="Insert a variable"
        onMouseDown={(event) => event.preventDefault()}
        onClick={() => setOpen((value) => !value)}
      >
        {/* Named by hidden text rather than aria-label, which must contain the visible glyph. */}
        <span aria-hidden="true">{'{x}'}</span>
        <span className="visually-hidden">Insert variable into {fieldLabel}</span>
      </button>
      {open && (
        <div className="variable-picker__menu" id={listId} role="menu" aria-label={`Variables for ${fieldLabel}`}>
          {variables.length > 0 && (
            <input
              className="variable-picker__search"
              type="search"
              aria-label={`Find a variable for ${fieldLabel}`}
              placeholder="Find a variable…"
              value={query}
              // biome-ignore lint/a11y/noAutofocus: the menu opened to pick one; typing narrows it at once
              autoFocus
              onChange={(event) => setQuery(event.target.value)}
            />
          )}
          {variables.length === 0 && <p className="variable-picker__empty">No variables are available here yet.</p>}
          {variables.length > 0 && shown.length === 0 && (
            <p className="variable-picker__empty">No variable matches “{query}”.</p>
          )}
          {shown.map((variable) => (
            <button
              key={variable.name}
              type="button"
              role="menuitem"
              className="variable-picker__item"
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => {
                onPick(`$${variable.name}`);
                setOpen(false);
              }}
            >
              <code>${variable.name}</code>
              {variable.description && <span>{variable.description}</span>}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

/** `text` with `token` put in place of the selection `[start, end)`. */
export function insertAt(text: string, token: string, start: number, end: number): { text: string; caret: number } {
  return { text: text.slice(0, start) + token + text.slice(end), caret: start + token.length };
}
