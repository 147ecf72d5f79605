import { type RefObject, useEffect } from 'react';

/** While `active`, a mouse press outside `root` calls `onOutside` (a popup closing itself). */
export function useClickOutside(root: RefObject<HTMLElement | null>, active: boolean, onOutside: () => void): void {
  useEffect(() => {
    if (!active) return;
    const press = (event: MouseEvent) => {
      if (event.target instanceof Node && root.current?.contains(event.target)) return;
      onOutside();
    };
    document.addEventListener('mousedown', press);
    return () => document.removeEventListener('mousedown', press);
  }, [root, active, onOutside]);
}
