'use client';

import { useEffect } from 'react';

/**
 * Next.js announces page changes through a hidden element with role="alert" in
 * an open shadow root. It keeps aria-live="assertive" (which is all a screen
 * reader needs), but the extra role makes "the [role=alert] on this page"
 * ambiguous for the page's own error messages and for tests. Drop the role.
 */
export function RouteAnnouncerFix() {
  useEffect(() => {
    const fix = (): boolean => {
      const host = document.querySelector('next-route-announcer');
      const announcer = host?.shadowRoot?.getElementById('__next-route-announcer__');
      if (!announcer) return false;
      announcer.removeAttribute('role');
      return true;
    };
    if (fix()) return;
    const observer = new MutationObserver(() => {
      if (fix()) observer.disconnect();
    });
    observer.observe(document.body, { childList: true });
    return () => observer.disconnect();
  }, []);
  return null;
}
