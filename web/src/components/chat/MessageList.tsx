'use client';

import { useCallback, useEffect, useMemo, useRef } from 'react';
import { HistorySlot } from './message-list/HistorySlot';
import { ListPlaceholder } from './message-list/ListPlaceholder';
import { LoadError } from './message-list/LoadError';
import { MessageArea } from './message-list/MessageArea';
import { MessageRows, type Row } from './message-list/MessageRows';
import {
  type User,
  type ChatSession,
  type RoomState,
  formatDay,
  sameDay,
  type ChatItem,
  type ConnectionState,
} from '@onionchat/client';
import { usePageVisible } from '../../hooks/use-chat';

/** Consecutive messages from one sender within this time form a group. */
const GROUP_MS = 5 * 60_000;
/** Start fetching older messages this close to the top. */
const LOAD_OLDER_PX = 400;

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

  // After each change: report what is read, fetch older messages if the top is in view.
  useEffect(() => {
    reportRead();
    maybeLoadOlder();
  }, [items, state?.loaded, state?.partial, state?.hasOlder, state?.loadingOlder, visible, reportRead, maybeLoadOlder]);

  const frame = useRef<number | null>(null);
  /** Once per frame while scrolling: report what is read, fetch older messages if near the top. */
  function onScrolled() {
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

  const empty = items.length === 0;

  return (
    <MessageArea scrollerRef={scroller} items={items} peerName={peerName} onScrolled={onScrolled}>
      <HistorySlot state={state} empty={empty} peerName={peerName} onLoadOlder={() => void session.loadOlder(roomId)} />
      <ListPlaceholder state={state} empty={empty} peerName={peerName} />
      <LoadError error={state?.error} onRetry={() => session.requestSync()} />
      <MessageRows
        session={session}
        rows={rows}
        notices={state?.notices}
        peerName={peerName}
        offline={connection !== 'connected'}
        onRetry={(item) => session.retry(roomId, item.messageId ?? '')}
      />
    </MessageArea>
  );
}
