import type { KeyboardEvent, ReactNode, RefObject } from 'react';
import { useTranslation } from 'react-i18next';

interface MessageScrollerProps {
  scrollerRef: RefObject<HTMLDivElement | null>;
  peerName: string;
  onScroll: () => void;
  children: ReactNode;
}

/** The scrolling box of the messages, a region that can be walked with the keyboard. */
export function MessageScroller({ scrollerRef, peerName, onScroll, children }: MessageScrollerProps) {
  const { t } = useTranslation();
  return (
    <div
      ref={scrollerRef}
      className="message-scroller"
      tabIndex={0}
      role="region"
      aria-label={t('chat.history.region', { name: peerName })}
      aria-describedby="message-keys"
      onScroll={onScroll}
      onKeyDown={(event) => moveFocus(event, scrollerRef.current)}
    >
      <p id="message-keys" className="visually-hidden">
        {t('chat.history.keys')}
      </p>
      {/* One box around everything that scrolls, so its growth can be observed as one. */}
      <div className="message-content">{children}</div>
    </div>
  );
}

/** Arrow keys move between messages; Home and End jump to the first and last. */
function moveFocus(event: KeyboardEvent<HTMLDivElement>, el: HTMLDivElement | null) {
  if (event.altKey || event.ctrlKey || event.metaKey) return;
  if (!el) return;
  const messages = [...el.querySelectorAll<HTMLElement>('[data-testid="message"]')];
  if (messages.length === 0) return;
  const index = messages.indexOf(document.activeElement as HTMLElement);
  let target: HTMLElement | undefined;
  if (index < 0) {
    if (document.activeElement !== el || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
    // From the list itself: start at the last message on screen.
    const bottom = el.getBoundingClientRect().bottom;
    target =
      [...messages].reverse().find((node) => node.getBoundingClientRect().top < bottom) ??
      messages[messages.length - 1];
  } else if (event.key === 'ArrowUp') target = messages[Math.max(0, index - 1)];
  else if (event.key === 'ArrowDown') target = messages[Math.min(messages.length - 1, index + 1)];
  else if (event.key === 'Home') target = messages[0];
  else if (event.key === 'End') target = messages[messages.length - 1];
  else return;
  event.preventDefault();
  target?.focus();
  target?.scrollIntoView({ block: 'nearest' });
}
