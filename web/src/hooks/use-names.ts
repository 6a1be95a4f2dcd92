'use client';

// Names for the people a conversation shows: every friend, request, blocked user, room
// member and verified group member this session has seen, kept for as long as the chat
// is open, so a message from someone since removed from a group still shows who wrote
// it. (The core's own name book is not in its snapshot; this one is built the same way.)

import { useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatSnapshot } from '@onionchat/client';

export type NameOf = (userId: string) => string;

export function useNames(snapshot: ChatSnapshot): NameOf {
  const { t } = useTranslation();
  const book = useRef(new Map<string, string>());
  return useMemo(() => {
    const names = book.current;
    const lists = snapshot.friends;
    if (lists) {
      for (const entry of [...lists.friends, ...lists.incoming, ...lists.outgoing, ...lists.blocked]) {
        names.set(entry.user.id, entry.user.username);
      }
    }
    for (const state of snapshot.rooms.values()) {
      for (const member of state.room.members) names.set(member.id, member.username);
      for (const member of state.group?.members ?? []) if (!member.me) names.set(member.id, member.name);
    }
    const known = new Map(names);
    const someone = t('chat.formerMember');
    return (userId: string) => known.get(userId) ?? someone;
  }, [snapshot.friends, snapshot.rooms, t]);
}
