'use client';

import { useEffect, useLayoutEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { MessageScroller } from './MessageScroller';
import { type ChatItem } from '@onionchat/client';

/** "At the bottom" within this many pixels. */
const BOTTOM_SLACK_PX = 48;

/** The first message at least partly on screen, and how far its top is from the list's top. */
interface Anchor {
  key: string;
  offset: number;
}

interface MessageAreaProps {
  /** The scrolling box, also measured by the list (what is read, when to load more). */
  scrollerRef: RefObject<HTMLDivElement | null>;
  items: readonly ChatItem[];
  peerName: string;
  /** After the reader scrolled. */
  onScrolled: () => void;
  children: ReactNode;
}

/**
 * The messages of a conversation as they scroll: the view stays where the reader
 * expects it, and "New messages" is offered when they arrive out of sight.
 */
export function MessageArea({ scrollerRef: scroller, items, peerName, onScrolled, children }: MessageAreaProps) {
  const { t } = useTranslation();
  const atBottom = useRef(true);
  const lastTop = useRef(0);
  const lastHeight = useRef(0);
  const previous = useRef<{ last: string | null; anchor: Anchor | null } | null>(null);
  const [pill, setPill] = useState(false);
  /** Scrolled up, away from the newest message: "Jump to latest" is offered. */
  const [away, setAway] = useState(false);

  // Keep the view where the reader expects it as messages come and go: at the bottom
  // if it was there, else with the same message at the same place (older messages
  // arrive above it in several steps).
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const lastItem = items[items.length - 1];
    const last = lastItem?.key ?? null;
    const before = previous.current;
    if (!before || atBottom.current) {
      el.scrollTop = el.scrollHeight;
      atBottom.current = true;
    } else {
      if (before.anchor) {
        const node = el.querySelector<HTMLElement>(`[data-key="${CSS.escape(before.anchor.key)}"]`);
        if (node)
          el.scrollTop += node.getBoundingClientRect().top - el.getBoundingClientRect().top - before.anchor.offset;
      }
      if (last !== before.last && lastItem) {
        if (lastItem.mine && lastItem.state === 'pending') {
          el.scrollTop = el.scrollHeight;
          atBottom.current = true;
        } else if (!lastItem.mine) {
          setPill(true);
        }
      }
    }
    if (atBottom.current) setPill(false);
    previous.current = { last, anchor: findAnchor(el) };
  }, [items]);

  // Stay at the bottom when the list's box changes (composer grows, window resizes) or
  // its content does without a new message (an image preview appears, a file card grows,
  // the start of history is shown above).
  useEffect(() => {
    const el = scroller.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const keepAtBottom = () => {
      if (atBottom.current) el.scrollTop = el.scrollHeight;
      if (previous.current) previous.current = { ...previous.current, anchor: findAnchor(el) };
    };
    const observer = new ResizeObserver(keepAtBottom);
    observer.observe(el);
    const content = el.querySelector('.message-content');
    if (content) observer.observe(content);
    // An image decoded late grows its message (load events don't bubble: capture them).
    el.addEventListener('load', keepAtBottom, true);
    return () => {
      observer.disconnect();
      el.removeEventListener('load', keepAtBottom, true);
    };
  }, []);

  function onScroll() {
    const el = scroller.current;
    if (!el) return;
    // Only the reader moving up leaves the bottom. Content that grows under the view (an
    // image decoded late) also puts the bottom out of reach, and its scroll event can
    // come before the resize observer that follows the growth.
    // And content that shrank then grew between two scroll events (a page of history laid
    // out again, then an image decoded) moves the view up without the reader: only a move
    // up with the content's height unchanged is the reader's.
    const contentChanged = el.scrollHeight !== lastHeight.current;
    if (el.scrollHeight - el.scrollTop - el.clientHeight < BOTTOM_SLACK_PX) atBottom.current = true;
    else if (el.scrollTop < lastTop.current && !contentChanged) atBottom.current = false;
    lastTop.current = el.scrollTop;
    lastHeight.current = el.scrollHeight;
    setAway(!atBottom.current);
    if (atBottom.current && pill) setPill(false);
    if (previous.current) previous.current = { ...previous.current, anchor: findAnchor(el) };
    onScrolled();
  }

  function scrollToBottom() {
    const el = scroller.current;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    atBottom.current = true;
    setPill(false);
    setAway(false);
    const messages = el.querySelectorAll<HTMLElement>('[data-testid="message"]');
    messages[messages.length - 1]?.focus({ preventScroll: true });
  }

  return (
    <div className="message-area">
      <MessageScroller scrollerRef={scroller} peerName={peerName} onScroll={onScroll}>
        {children}
      </MessageScroller>
      {pill ? (
        <button type="button" className="new-pill" data-testid="new-messages" onClick={scrollToBottom}>
          {t('chat.history.newMessages')} <span aria-hidden="true">↓</span>
        </button>
      ) : away ? (
        <button type="button" className="new-pill jump-pill" data-testid="jump-to-latest" onClick={scrollToBottom}>
          {t('chat.history.jumpToLatest')} <span aria-hidden="true">↓</span>
        </button>
      ) : null}
    </div>
  );
}

function findAnchor(el: HTMLElement): Anchor | null {
  const top = el.getBoundingClientRect().top;
  const nodes = el.querySelectorAll<HTMLElement>('[data-testid="message"]');
  let low = 0;
  let high = nodes.length - 1;
  let found: HTMLElement | null = null;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const node = nodes[middle]!;
    if (node.getBoundingClientRect().bottom > top) {
      found = node;
      high = middle - 1;
    } else {
      low = middle + 1;
    }
  }
  if (!found?.dataset.key) return null;
  return { key: found.dataset.key, offset: found.getBoundingClientRect().top - top };
}
