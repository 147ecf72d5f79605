import { type MouseEvent, useCallback, useEffect, useRef, useState } from 'react';

/** Says whether moving to `hash` must wait for the person's answer (it then asks). */
type Guard = (hash: string) => boolean;

let guard: Guard | null = null;

/**
 * Whether the hash route change just made is held: `useRoute` asks before following it, and
 * puts the previous hash back when it is (browser Back included, which cannot be cancelled).
 */
export function isHeld(hash: string): boolean {
  return guard?.(hash) ?? false;
}

/**
 * Asks "Leave without saving?" before the app's navigation (its links, the browser's Back and
 * Forward) goes where `asks(hash)` says it should ask, and lets the browser ask before the tab
 * closes or reloads while `unsaved()`. `pending` is where the person wanted to go while asked.
 */
export function useLeaveGuard(asks: Guard, unsaved: () => boolean) {
  const [pending, setPending] = useState<string | null>(null);
  const leaving = useRef(false);

  useEffect(() => {
    guard = (hash) => {
      if (leaving.current || !asks(hash)) return false;
      setPending(hash);
      return true;
    };
    const warn = (event: BeforeUnloadEvent) => {
      if (!unsaved()) return;
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => {
      guard = null;
      window.removeEventListener('beforeunload', warn);
    };
  }, [asks, unsaved]);

  /** For a link: asks instead of following it, when it leaves with unsaved edits. */
  const onLinkClick = useCallback(
    (event: MouseEvent<HTMLAnchorElement>) => {
      const hash = event.currentTarget.hash;
      if (leaving.current || !asks(hash)) return;
      event.preventDefault();
      setPending(hash);
    },
    [asks],
  );

  return {
    pending,
    onLinkClick,
    stay: () => setPending(null),
    leave: () => {
      if (pending === null) return;
      leaving.current = true;
      setPending(null);
      window.location.hash = pending;
    },
  };
}
