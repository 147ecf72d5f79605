import { paletteGroups, useNodeTypes } from './node-types.ts';

export const PALETTE_MIME = 'application/x-convoflow-node';

/** The node types given to the editor, grouped; drag onto the canvas, or press to add at the centre. */
export function Palette({ onAdd }: { onAdd: (type: string) => void }) {
  const definitions = Object.values(useNodeTypes());
  return (
    <nav className="palette" aria-label="Node palette">
      {paletteGroups.map((group) => (
        <section key={group} className="palette__group" aria-labelledby={`palette-${group}`}>
          <h3 className="palette__heading" id={`palette-${group}`}>
            {group}
          </h3>
          {definitions
            .filter((definition) => definition.group === group)
            .map((definition) => (
              <button
                key={definition.type}
                type="button"
                draggable
                className={`palette__item palette__item--${group.toLowerCase()}`}
                data-testid={`palette-${definition.type}`}
                title={definition.description}
                onDragStart={(event) => {
                  event.dataTransfer.setData(PALETTE_MIME, definition.type);
                  event.dataTransfer.effectAllowed = 'move';
                }}
                onClick={() => onAdd(definition.type)}
              >
                <span className="palette__icon" aria-hidden="true">
                  {definition.icon}
                </span>
                <span>{definition.label}</span>
              </button>
            ))}
        </section>
      ))}
    </nav>
  );
}
