import { stickyNoteColors } from '@convoflow/engine';
import { type NodeProps, NodeResizer } from '@xyflow/react';
import { memo } from 'react';
import './team.css';
import { type StickyFlowNode, useCanvasStore } from './store.ts';

const MIN_SIZE = { width: 120, height: 60 };

/**
 * A sticky note on the canvas: a comment for the team, not a step. It has no handles, is never
 * validated or run, and is saved with the draft (`notes`). Resizable when selected; the text
 * area is `nodrag` so selecting text does not move the note.
 */
export const StickyNoteCard = memo(function StickyNoteCard({ id, data, selected }: NodeProps<StickyFlowNode>) {
  const updateSticky = useCanvasStore((state) => state.updateSticky);
  const deleteSticky = useCanvasStore((state) => state.deleteSticky);
  const beginDrag = useCanvasStore((state) => state.beginDrag);
  const setStickyColor = useCanvasStore((state) => state.setStickyColor);
  const colour = data.color ?? 'yellow';
  const next = stickyNoteColors[(stickyNoteColors.indexOf(colour) + 1) % stickyNoteColors.length] ?? 'yellow';
  return (
    <div className={`sticky sticky--${colour}`} data-testid={`sticky-${id}`}>
      <NodeResizer
        isVisible={selected}
        minWidth={MIN_SIZE.width}
        minHeight={MIN_SIZE.height}
        onResizeStart={beginDrag}
        lineClassName="sticky__resize-line"
        handleClassName="sticky__resize-handle"
      />
      <button
        type="button"
        className="sticky__colour nodrag"
        aria-label={`Colour: ${colour}; make it ${next}`}
        title={`Make it ${next}`}
        data-testid={`sticky-colour-${id}`}
        onClick={(event) => {
          event.stopPropagation();
          setStickyColor(id, next);
        }}
      />
      <button
        type="button"
        className="sticky__delete nodrag"
        aria-label="Delete note"
        title="Delete note"
        onClick={(event) => {
          event.stopPropagation();
          deleteSticky(id);
        }}
      >
        ×
      </button>
      <textarea
        className="sticky__text nodrag nowheel"
        aria-label="Note"
        placeholder="Write a note for the team…"
        value={data.text}
        maxLength={2000}
        onChange={(event) => updateSticky(id, event.target.value)}
        // Delete and Backspace edit the text here; they must not reach the canvas shortcuts.
        onKeyDown={(event) => event.stopPropagation()}
      />
    </div>
  );
});
