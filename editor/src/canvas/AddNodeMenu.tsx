import { useEffect, useRef } from 'react';
import { paletteGroups, useNodeTypes } from './node-types.ts';

/** The node types that can follow an exit (every type but triggers), grouped. */
export function AddNodeMenu({ onPick, onClose }: { onPick: (type: string) => void; onClose: () => void }) {
  const root = useRef<HTMLDivElement>(null);
  const definitions = Object.values(useNodeTypes());
  useEffect(() => {
    root.current?.querySelector('button')?.focus();
    const close = (event: MouseEvent) => {
      if (event.target instanceof Node && root.current?.contains(event.target)) return;
      onClose();
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [onClose]);
  return (
    <div
      className="add-menu nodrag nowheel"
      role="menu"
      aria-label="Add a step"
      ref={root}
      // Clicks here must not reach the node underneath, which would open that node instead.
      onClick={(event) => event.stopPropagation()}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
      }}
    >
      {paletteGroups
        .filter((group) => group !== 'Triggers')
        .map((group) => (
          <div key={group} className="add-menu__group">
            <p className="add-menu__heading">{group}</p>
            {definitions
              .filter((definition) => definition.group === group)
              .map((definition) => (
                <button
                  key={definition.type}
                  type="button"
                  role="menuitem"
                  className="add-menu__item"
                  data-testid={`add-menu-${definition.type}`}
                  onClick={() => onPick(definition.type)}
                >
                  <span aria-hidden="true">{definition.icon}</span> {definition.label}
                </button>
              ))}
          </div>
        ))}
    </div>
  );
}
