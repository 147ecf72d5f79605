import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useClickOutside } from './useClickOutside.ts';

export interface MenuAction {
  label: string;
  onSelect: () => void;
  testId?: string;
  disabled?: boolean;
}

/**
 * A button that opens a short menu of actions beneath it (the toolbar's "More" on narrow
 * screens). Arrow keys move between the items, Escape or a click elsewhere closes it and focus
 * goes back to the button.
 */
export function MenuButton({ label, actions, testId }: { label: string; actions: MenuAction[]; testId?: string }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menuId = useId();

  useEffect(() => {
    if (open) root.current?.querySelector<HTMLElement>('[role="menuitem"]:not(:disabled)')?.focus();
  }, [open]);
  useClickOutside(
    root,
    open,
    useCallback(() => setOpen(false), []),
  );

  const closeAndRefocus = () => {
    setOpen(false);
    button.current?.focus();
  };

  const move = (step: number) => {
    const items = [...(root.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not(:disabled)') ?? [])];
    const at = items.findIndex((item) => item === document.activeElement);
    items[(at + step + items.length) % items.length]?.focus();
  };

  return (
    <div className="menu-button" ref={root}>
      <button
        ref={button}
        type="button"
        className="button button--ghost"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        data-testid={testId}
        onClick={() => setOpen((was) => !was)}
      >
        {label} <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <div
          className="menu-button__menu"
          role="menu"
          id={menuId}
          aria-label={label}
          onKeyDown={(event) => {
            if (event.key === 'Escape') closeAndRefocus();
            else if (event.key === 'ArrowDown') move(1);
            else if (event.key === 'ArrowUp') move(-1);
            else return;
            event.preventDefault();
          }}
        >
          {actions.map((action) => (
            <button
              key={action.label}
              type="button"
              role="menuitem"
              className="menu-button__item"
              data-testid={action.testId}
              disabled={action.disabled}
              onClick={() => {
                closeAndRefocus();
                action.onSelect();
              }}
            >
              {action.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
