'use client';

import { useCallback, useEffect, useMemo, useRef } from 'react';
import { HistorySlot } from './message-list/HistorySlot';
import { ListPlaceholder } from './message-list/ListPlaceholder';
import { LoadError } from './message-list/LoadError';
import { MessageArea } from './message-list/MessageArea';
import { MessageRows } from './message-list/MessageRows';
import { foldBeforeJoining } from './group/before-joining';
import { type User, type ChatSession, type RoomState, messageRows, type ConnectionState } from '@onionchat/client';
import { usePageVisible } from '../../hooks/use-chat';

/** Start fetching older messages this close to the top. */
const LOAD_OLDER_PX = 400;

interface MessageListProps {
  session: ChatSession;
  roomId: string;
  state: RoomState | undefined;
  me: User;
  peerName: string;
  /** A group conversation: notices of its changes, and each sender's name over their messages. */
  group?: boolean;
  /** Who a message is from, in words ("You" for this account). */
  senderName: (senderId: string) => string;
  connection: ConnectionState;
}

export function MessageList({
  session,
  roomId,
  state,
  peerName,
  group = false,
  senderName,
  connection,
}: MessageListProps) {
  const items = useMemo(() => {
    const all = state?.items ?? [];
    return group ? foldBeforeJoining(all) : all;
  }, [state?.items, group]);
  const rows = useMemo(() => messageRows(items), [items]);
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
      <HistorySlot
        state={state}
        empty={empty}
        peerName={peerName}
        group={group}
        onLoadOlder={() => void session.loadOlder(roomId)}
      />
      <ListPlaceholder state={state} empty={empty} peerName={peerName} group={group} />
      <LoadError error={state?.error} onRetry={() => session.requestSync()} />
      <MessageRows
        session={session}
        rows={rows}
        notices={state?.notices}
        group={group}
        senderName={senderName}
        offline={connection !== 'connected'}
        onRetry={(item) => session.retry(roomId, item.messageId ?? '')}
      />
    </MessageArea>
  );
}
