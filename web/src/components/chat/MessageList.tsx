'use client';

import {
  Fragment,
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
} from 'react';
import type { User } from '../../lib/api';
import type { ChatSession, RoomState } from '../../lib/chat';
import { formatDay, formatFull, formatTime, sameDay, toIso } from '../../lib/format';
import type { ChatItem } from '../../lib/messages';
import type { ConnectionState } from '../../lib/realtime';
import { usePageVisible } from '../../lib/useChat';
import { Loading } from '../ui';
import { FileCard } from './FileCard';

/** Consecutive messages from one sender within this time form a group. */
const GROUP_MS = 5 * 60_000;
/** "At the bottom" within this many pixels. */
const BOTTOM_SLACK_PX = 48;
/** Start fetching older messages this close to the top. */
const LOAD_OLDER_PX = 400;

/** The first message at least partly on screen, and how far its top is from the list's top. */
interface Anchor {
  key: string;
  offset: number;
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

type Row =
  | { kind: 'day'; key: string; label: string; time: number }
  | { kind: 'message'; key: string; item: ChatItem; first: boolean; last: boolean };

function groupable(a: ChatItem, b: ChatItem): boolean {
  return (
    a.senderId === b.senderId &&
    a.state !== 'unverified' &&
    b.state !== 'unverified' &&
    Math.abs(b.time - a.time) <= GROUP_MS &&
    sameDay(a.time, b.time)
  );
}

function buildRows(items: readonly ChatItem[]): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < items.length; i += 1) {
    const item = items[i]!;
    const previous = items[i - 1];
    const next = items[i + 1];
    if (!previous || !sameDay(previous.time, item.time)) {
      rows.push({ kind: 'day', key: `day:${item.key}`, label: formatDay(item.time), time: item.time });
    }
    rows.push({
      kind: 'message',
      key: item.key,
      item,
      first: !previous || !groupable(previous, item),
      last: !next || !groupable(item, next),
    });
  }
  return rows;
}

interface MessageListProps {
  session: ChatSession;
  roomId: string;
  state: RoomState | undefined;
  me: User;
  peerName: string;
  connection: ConnectionState;
}

export function MessageList({ session, roomId, state, peerName, connection }: MessageListProps) {
  const items = useMemo(() => state?.items ?? [], [state?.items]);
  const rows = useMemo(() => buildRows(items), [items]);
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const previous = useRef<{ last: string | null; anchor: Anchor | null } | null>(null);
  const [pill, setPill] = useState(false);
  const visible = usePageVisible();
  const stateRef = useRef(state);
  useEffect(() => {
    stateRef.current = state;
  }, [state]);

  /** The newest message at least partly on screen counts as read (only while the page is visible). */
  const reportRead = useCallback(() => {
    const el = scroller.current;
    if (!el || document.visibilityState !== 'visible') return;
    const bottom = el.getBoundingClientRect().bottom;
    const messages = el.querySelectorAll<HTMLElement>('[data-testid="message"]');
    for (let i = messages.length - 1; i >= 0; i -= 1) {
      const node = messages[i]!;
      const seq = Number(node.dataset.seq);
      if (!node.dataset.seq || !Number.isSafeInteger(seq)) continue;
      if (node.getBoundingClientRect().top < bottom - 8) {
        session.markRead(roomId, seq);
        return;
      }
    }
  }, [session, roomId]);

  const maybeLoadOlder = useCallback(() => {
    const el = scroller.current;
    const current = stateRef.current;
    if (!el || !current || !current.loaded || current.partial || !current.hasOlder || current.loadingOlder) return;
    if (el.scrollTop < LOAD_OLDER_PX) void session.loadOlder(roomId);
  }, [session, roomId]);

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

  // After each change: report what is read, fetch older messages if the top is in view.
  useEffect(() => {
    reportRead();
    maybeLoadOlder();
  }, [items, state?.loaded, state?.partial, state?.hasOlder, state?.loadingOlder, visible, reportRead, maybeLoadOlder]);

  // Stay at the bottom when the list's box changes (composer grows, window resizes) or
  // its content does without a new message (an image preview appears, a file card grows).
  useEffect(() => {
    const el = scroller.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (atBottom.current) el.scrollTop = el.scrollHeight;
      if (previous.current) previous.current = { ...previous.current, anchor: findAnchor(el) };
    });
    observer.observe(el);
    const list = el.querySelector('.messages');
    if (list) observer.observe(list);
    return () => observer.disconnect();
  }, []);

  const frame = useRef<number | null>(null);
  function onScroll() {
    const el = scroller.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < BOTTOM_SLACK_PX;
    if (atBottom.current && pill) setPill(false);
    if (previous.current) previous.current = { ...previous.current, anchor: findAnchor(el) };
    if (frame.current === null) {
      frame.current = requestAnimationFrame(() => {
        frame.current = null;
        reportRead();
        maybeLoadOlder();
      });
    }
  }
  useEffect(
    () => () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    },
    [],
  );

  function scrollToBottom() {
    const el = scroller.current;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    atBottom.current = true;
    setPill(false);
    const messages = el.querySelectorAll<HTMLElement>('[data-testid="message"]');
    messages[messages.length - 1]?.focus({ preventScroll: true });
  }

  /** Arrow keys move between messages; Home and End jump to the first and last. */
  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const el = scroller.current;
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

  return (
    <div className="message-area">
      <div
        ref={scroller}
        className="message-scroller"
        tabIndex={0}
        role="region"
        aria-label={`Messages with ${peerName}`}
        aria-describedby="message-keys"
        onScroll={onScroll}
        onKeyDown={onKeyDown}
      >
        <p id="message-keys" className="visually-hidden">
          Use the arrow keys to move between messages.
        </p>
        <div className="history-slot">
          {!state || (!state.loaded && items.length === 0) ? null : state.loadingOlder || state.partial ? (
            <span className="history-loading">
              <span className="spinner" aria-hidden="true" />
              Loading older messages…
            </span>
          ) : state.hasOlder ? (
            <button type="button" className="button small ghost" onClick={() => void session.loadOlder(roomId)}>
              Load older messages
            </button>
          ) : (
            <p className="history-start">
              <LockIcon /> This is the beginning of your conversation with {peerName}. Messages are end-to-end
              encrypted: only the two of you can read them.
            </p>
          )}
        </div>

        {!state || (!state.loaded && items.length === 0) ? (
          state?.error ? null : (
            <Loading label="Loading messages…" />
          )
        ) : items.length === 0 ? (
          <p className="conversation-empty">No messages yet. Say hello to {peerName}!</p>
        ) : null}

        {state?.error ? (
          <div className="list-error" role="alert">
            <span>Couldn’t load messages: {state.error}</span>
            <button type="button" className="button small" onClick={() => session.requestSync()}>
              Try again
            </button>
          </div>
        ) : null}

        <ol className="messages">
          {rows.map((row) =>
            row.kind === 'day' ? (
              <li key={row.key} className="day-divider">
                <time dateTime={toIso(row.time)}>{row.label}</time>
              </li>
            ) : (
              <Fragment key={row.key}>
                {state?.notices.get(row.item.key) ? (
                  <li className="sequence-notice" role="note" data-testid="sequence-notice">
                    <span aria-hidden="true">⚠ </span>
                    {state.notices.get(row.item.key)}
                  </li>
                ) : null}
                <MessageRow
                  key={row.key}
                  session={session}
                  item={row.item}
                  first={row.first}
                  last={row.last}
                  senderName={row.item.mine ? 'You' : peerName}
                  offline={connection !== 'connected'}
                  onRetry={() => session.retry(roomId, row.item.messageId ?? '')}
                />
              </Fragment>
            ),
          )}
        </ol>
      </div>
      {pill ? (
        <button type="button" className="new-pill" onClick={scrollToBottom}>
          New messages <span aria-hidden="true">↓</span>
        </button>
      ) : null}
    </div>
  );
}

interface MessageRowProps {
  session: ChatSession;
  item: ChatItem;
  first: boolean;
  last: boolean;
  senderName: string;
  offline: boolean;
  onRetry: () => void;
}

const MessageRow = memo(
  function MessageRow({ session, item, first, last, senderName, offline, onRetry }: MessageRowProps) {
    const time = formatTime(item.time);
    const file = item.state === 'unverified' ? null : item.file;
    const classes = [
      'msg',
      item.mine ? 'msg-mine' : 'msg-theirs',
      `msg-${item.state}`,
      file ? 'msg-file' : '',
      first ? 'msg-first' : '',
      last ? 'msg-last' : '',
    ]
      .filter(Boolean)
      .join(' ');
    const showMeta = last || item.state === 'pending' || item.state === 'failed' || file !== null;

    return (
      <li
        className={classes}
        data-testid="message"
        data-key={item.key}
        data-seq={item.seq ?? ''}
        data-state={item.state}
        data-mine={item.mine ? 'true' : 'false'}
        tabIndex={-1}
      >
        <div className="msg-line">
          <div className={file ? 'bubble bubble-file' : 'bubble'}>
            <span className="visually-hidden">
              {senderName} at {time}:{' '}
            </span>
            {item.state === 'unverified' ? (
              <p className="msg-unverified-text">
                <span aria-hidden="true">⚠</span> This message could not be verified and is hidden.
                {item.note ? <span className="msg-reason"> Reason: {item.note}.</span> : null}
              </p>
            ) : file ? (
              <FileCard session={session} item={item} file={file} />
            ) : item.text !== null ? (
              <p className="msg-text" data-testid="message-text">
                {item.text}
              </p>
            ) : (
              <p className="msg-unsupported">
                This message is of a kind this version of OnionChat can’t show
                {item.unsupportedType ? ` (“${item.unsupportedType.slice(0, 40)}”)` : ''}.
              </p>
            )}
          </div>
          {showMeta ? null : (
            <time className="msg-hover-time" dateTime={toIso(item.time)} title={formatFull(item.time)}>
              {time}
            </time>
          )}
        </div>
        {showMeta ? (
          <div className="msg-meta">
            {file ? <span className="msg-sender">{senderName}</span> : null}
            <time dateTime={toIso(item.time)} title={formatFull(item.time)}>
              {time}
            </time>
            {/* A file card shows its own progress and problems (and its own Retry). */}
            {item.mine && (!file || item.state === 'sent') ? (
              <Delivery item={item} offline={offline} onRetry={onRetry} />
            ) : null}
          </div>
        ) : null}
      </li>
    );
  },
  (a, b) =>
    a.session === b.session &&
    a.item === b.item &&
    a.first === b.first &&
    a.last === b.last &&
    a.senderName === b.senderName &&
    (a.item.state !== 'pending' || a.offline === b.offline),
);

function Delivery({ item, offline, onRetry }: { item: ChatItem; offline: boolean; onRetry: () => void }) {
  if (item.state === 'sent') {
    return (
      <span className="delivery delivery-sent">
        <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
          <path
            d="m3 8.5 3 3 7-7"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.8"
            strokeLinecap="round"
            strokeLinejoin="round"
          />
        </svg>
        Sent
      </span>
    );
  }
  if (item.state === 'pending') {
    return (
      <span className="delivery delivery-pending">
        <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true" focusable="false">
          <circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" strokeWidth="1.5" />
          <path d="M8 4.5V8l2.3 1.5" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
        </svg>
        {offline
          ? 'Waiting for the connection…'
          : item.note
            ? `Sending again (${item.note.replace(/\.$/, '')})…`
            : 'Sending…'}
      </span>
    );
  }
  if (item.state === 'failed') {
    return (
      <span className="delivery delivery-failed">
        <span>
          <span aria-hidden="true">⚠</span> Not sent{item.note ? `: ${item.note}` : '.'}
        </span>
        <button type="button" className="link-button" onClick={onRetry}>
          Retry
        </button>
      </span>
    );
  }
  return null;
}

function LockIcon() {
  return (
    <svg width="12" height="12" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <rect x="3" y="7" width="10" height="7" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2" fill="none" stroke="currentColor" strokeWidth="1.6" />
    </svg>
  );
}
