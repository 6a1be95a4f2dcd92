'use client';

import { useEffect, useSyncExternalStore } from 'react';

/** Ctrl+K (⌘K on a Mac) anywhere on the page calls `onOpen`. */
export function useSearchShortcut(onOpen: () => void): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key.toLowerCase() !== 'k' || event.altKey || event.shiftKey) return;
      if (!(event.ctrlKey || event.metaKey)) return;
      event.preventDefault();
      onOpen();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [onOpen]);
}

const never = () => () => {};

/**
 * Whether the keyboard has ⌘ rather than Ctrl for the shortcut's label. The static HTML
 * says Ctrl; the page corrects it once it runs (Tor Browser reports the platform's family).
 */
export function useMacKeyboard(): boolean {
  return useSyncExternalStore(
    never,
    () => /^Mac|iPhone|iPad/.test(navigator.platform),
    () => false,
  );
}
