'use client';

import { useCallback, useMemo, useState } from 'react';
import { describeError, type ChatItem, type ChatSession } from '@onionchat/client';
import type { ComposerTarget } from '../Composer';
import type { MessageActions } from './MessageActionsContext';

const HIGHLIGHT_MS = 2_000;

/** The message actions of one conversation: what the composer is answering or editing, and the deletion asked about. */
export function useMessageActionState(session: ChatSession, roomId: string, senderName: (senderId: string) => string) {
  const [target, setTarget] = useState<ComposerTarget | null>(null);
  const [deleting, setDeleting] = useState<ChatItem | null>(null);
  const [error, setError] = useState<string | null>(null);

  const actions = useMemo<MessageActions>(
    () => ({
      reply: (item) => setTarget({ kind: 'reply', item, senderName: senderName(item.senderId) }),
      edit: (item) => setTarget({ kind: 'edit', item, senderName: senderName(item.senderId) }),
      remove: (item) => {
        setError(null);
        setDeleting(item);
      },
      react: (item, emoji) => {
        try {
          session.react(roomId, item, emoji);
        } catch (caught) {
          setError(describeError(caught));
        }
      },
      show: showMessage,
      nameOf: senderName,
    }),
    [session, roomId, senderName],
  );

  const confirmDelete = useCallback(() => {
    if (!deleting) return;
    try {
      session.deleteForEveryone(roomId, deleting);
      setDeleting(null);
      if (target?.item.key === deleting.key) setTarget(null);
    } catch (caught) {
      setError(describeError(caught));
    }
  }, [session, roomId, deleting, target]);

  return {
    actions,
    target,
    clearTarget: useCallback(() => setTarget(null), []),
    deleting,
    confirmDelete,
    cancelDelete: useCallback(() => setDeleting(null), []),
    error,
    clearError: useCallback(() => setError(null), []),
  };
}

/** Scrolls to a message and marks it for a moment (a reply's quote was pressed). */
function showMessage(seq: number): void {
  const row = document.querySelector<HTMLElement>(`[data-testid="message"][data-seq="${seq}"]`);
  if (!row) return;
  row.scrollIntoView({ block: 'center' });
  row.focus({ preventScroll: true });
  row.classList.add('msg-highlight');
  setTimeout(() => row.classList.remove('msg-highlight'), HIGHLIGHT_MS);
}
