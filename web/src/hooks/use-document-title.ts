'use client';

import { useLayoutEffect } from 'react';

/**
 * Keeps the tab's title: the framework writes a page's metadata title again after the
 * page set its own (hydration, a navigation), so it is put back whenever that happens.
 * A layout effect, so the observer is gone before the next page sets its title.
 */
export function useDocumentTitle(title: string): void {
  useLayoutEffect(() => {
    const apply = () => {
      if (document.title !== title) document.title = title;
    };
    apply();
    const observer = new MutationObserver(apply);
    observer.observe(document.head, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, [title]);
}
