'use client';

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ChatItem, ChatSession } from '@onionchat/client';
import { useJumpToMessage } from '../../../hooks/use-jump-to-message';
import { useDescribeError } from '../../../i18n/describe-error';
import type { ComposerTarget } from '../Composer';
import type { MessageActions } from './MessageActionsContext';

/** The message actions of one conversation: what the composer is answering or editing, and the deletion asked about. */
export function useMessageActionState(session: ChatSession, roomId: string, senderName: (senderId: string) => string) {
  const [target, setTarget] = useState<ComposerTarget | null>(null);
  const [deleting, setDeleting] = useState<ChatItem | null>(null);
  const [error, setError] = useState<string | null>(null);
  const describeError = useDescribeError();
  const jumpTo = useJumpToMessage();
  // Names change with every snapshot; the actions (every row's context) must not.
  const names = useRef(senderName);
  useEffect(() => {
    names.current = senderName;
  }, [senderName]);

  const actions = useMemo<MessageActions>(
    () => ({
      reply: (item) => setTarget({ kind: 'reply', item, senderName: names.current(item.senderId) }),
      edit: (item) => setTarget({ kind: 'edit', item, senderName: names.current(item.senderId) }),
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
      show: (key) => jumpTo(roomId, key),
      nameOf: (userId) => names.current(userId),
    }),
    [session, roomId, describeError, jumpTo],
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
  }, [session, roomId, deleting, target, describeError]);

  return {
    actions,
    target,
    clearTarget: useCallback(() => setTarget(null), []),
    deleting,
    confirmDelete,
    cancelDelete: useCallback(() => setDeleting(null), []),
    error,
  };
}
