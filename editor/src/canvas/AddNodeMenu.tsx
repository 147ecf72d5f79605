import { type CSSProperties, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { useClickOutside } from '../shared/useClickOutside.ts';
import { paletteGroups, useNodeTypes } from './node-types.ts';
import { popupPosition } from './popupPosition.ts';

interface AddNodeMenuProps {
  /** The "+" button it opens from. */
  anchor: HTMLElement;
  onPick: (type: string) => void;
  onClose: () => void;
}

/**
 * The node types that can follow an exit (every type but triggers), grouped. It lives outside
 * the canvas's zoomed layer, at the screen size of text whatever the zoom, placed inside the
 * visible canvas (above the button near the bottom, slid in from the sides).
 */
export function AddNodeMenu({ anchor, onPick, onClose }: AddNodeMenuProps) {
  const root = useRef<HTMLDivElement>(null);
  const definitions = Object.values(useNodeTypes());
  const headingId = useId();
  // Measured first (hidden), then placed.
  const [style, setStyle] = useState<CSSProperties>({ visibility: 'hidden', top: 0, left: 0 });

  useLayoutEffect(() => {
    const menu = root.current;
    if (!menu) return;
    const area = (anchor.closest('.react-flow') ?? document.documentElement).getBoundingClientRect();
    const placed = popupPosition(
      anchor.getBoundingClientRect(),
      { width: menu.offsetWidth, height: menu.scrollHeight },
      area,
    );
    setStyle({ top: placed.top, left: placed.left, maxHeight: placed.height });
    menu.querySelector('button')?.focus();
  }, [anchor]);

  useClickOutside(root, true, onClose);
  // A zoom or pan of the canvas by wheel would leave it behind: it closes instead.
  useEffect(() => {
    const wheel = (event: WheelEvent) => {
      if (!(event.target instanceof Node && root.current?.contains(event.target))) onClose();
    };
    window.addEventListener('wheel', wheel, { passive: true });
    return () => window.removeEventListener('wheel', wheel);
  }, [onClose]);

  return createPortal(
    <div
      className="add-menu"
      role="menu"
      aria-label="Add a step"
      data-testid="add-menu"
      ref={root}
      style={style}
      // Clicks here must not reach the node it opened from (React passes them up the portal).
      onClick={(event) => event.stopPropagation()}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          onClose();
          anchor.focus();
        }
      }}
    >
      {paletteGroups
        .filter((group) => group !== 'Triggers')
        .map((group) => (
          // biome-ignore lint/a11y/useSemanticElements: a group of menu items is an ARIA group; a fieldset groups form fields
          <div key={group} className="add-menu__group" role="group" aria-labelledby={`${headingId}-${group}`}>
            <p className="add-menu__heading" id={`${headingId}-${group}`}>
              {group}
            </p>
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
    </div>,
    document.body,
  );
}
