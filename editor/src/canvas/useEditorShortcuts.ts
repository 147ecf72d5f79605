import { useEffect } from 'react';
import { useCanvasStore } from './store.ts';

/**
 * Keyboard: Ctrl/Cmd+S saves (even while typing in a field); outside fields, Delete/Backspace
 * deletes the selection, Ctrl/Cmd+Z undoes, Shift+Ctrl/Cmd+Z or Ctrl+Y redoes, Ctrl/Cmd+C/V
 * copy and paste nodes (`onPasted` gets the new steps' ids). `readOnly` (a viewer's key) keeps
 * only copy: nothing it could change would be saved.
 */
export function useEditorShortcuts(
  save: () => void,
  onPasted: (ids: string[]) => void = () => {},
  readOnly = false,
): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      if (mod && key === 's') {
        event.preventDefault();
        if (!readOnly) save();
        return;
      }
      if (isEditable(event.target)) return;
      const store = useCanvasStore.getState();
      if (readOnly) {
        if (mod && key === 'c') store.copySelection();
        return;
      }
      if (!mod && (event.key === 'Delete' || event.key === 'Backspace')) {
        event.preventDefault();
        store.deleteSelection();
      } else if (mod && key === 'z') {
        event.preventDefault();
        if (event.shiftKey) store.redo();
        else store.undo();
      } else if (mod && key === 'y') {
        event.preventDefault();
        store.redo();
      } else if (mod && key === 'c') {
        store.copySelection();
      } else if (mod && key === 'v') {
        event.preventDefault();
        store.paste();
        // The pasted steps are the selection now.
        const pasted = useCanvasStore.getState().nodes.filter((node) => node.selected);
        if (pasted.length > 0) onPasted(pasted.map((node) => node.id));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [save, onPasted, readOnly]);
}

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}
