'use client';

// After a search result opens its conversation: scroll to that message, give it the
// focus (so a screen reader reads it) and mark it for a moment. The conversation
// renders after the open, so the row is looked for on each frame for a little while,
// once the list shows that conversation as the open one (item keys repeat across
// conversations: "seq:1" is in every one).

import { useCallback, useEffect, useRef } from 'react';

/** How long the row is looked for before giving up (the conversation may still be loading). */
const FIND_FOR_MS = 5000;
/** How long the message stays marked. */
const FLASH_MS = 2500;
/** A conversation that just opened may still grow (pictures, late pages): look again after this. */
const SETTLE_MS = 400;

function inView(row: HTMLElement): boolean {
  const scroller = row.closest('.message-scroller');
  if (!scroller) return true;
  const box = row.getBoundingClientRect();
  const area = scroller.getBoundingClientRect();
  return box.top >= area.top && box.bottom <= area.bottom;
}

export function useJumpToMessage(): (roomId: string, key: string) => void {
  const cancel = useRef<() => void>(() => {});
  useEffect(() => () => cancel.current(), []);
  return useCallback((roomId: string, key: string) => {
    cancel.current();
    const until = performance.now() + FIND_FOR_MS;
    let frame = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let settle: ReturnType<typeof setTimeout> | undefined;
    const look = () => {
      const open = document.querySelector(`[data-room-link="${CSS.escape(roomId)}"][aria-current="page"]`);
      const selector = `.chat-main [data-testid="message"][data-key="${CSS.escape(key)}"]`;
      const row = open ? document.querySelector<HTMLElement>(selector) : null;
      if (!row) {
        if (performance.now() < until) frame = requestAnimationFrame(look);
        return;
      }
      row.scrollIntoView({ block: 'center' });
      row.focus({ preventScroll: true });
      row.classList.add('search-flash');
      row.setAttribute('data-search-hit', 'true');
      settle = setTimeout(() => {
        if (row.isConnected && !inView(row)) row.scrollIntoView({ block: 'center' });
      }, SETTLE_MS);
      timer = setTimeout(() => {
        row.classList.remove('search-flash');
        row.removeAttribute('data-search-hit');
      }, FLASH_MS);
    };
    frame = requestAnimationFrame(look);
    cancel.current = () => {
      cancelAnimationFrame(frame);
      if (timer) clearTimeout(timer);
      if (settle) clearTimeout(settle);
    };
  }, []);
}
