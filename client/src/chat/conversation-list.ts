// The conversation list as people see it: one entry per friend, the most recently
// active first (then by name, so the order is stable). `allConversations` lists the
// groups among them too.

import type { Friend } from '@onionchat/contract';
import type { ChatSnapshot, RoomState } from './snapshot.js';

export interface ConversationEntry {
  friend: Friend;
  state: RoomState | undefined;
  /** For ordering: the newest message, else when the friendship began. */
  activity: number;
}

export function conversationList(snapshot: Pick<ChatSnapshot, 'friends' | 'rooms'>): ConversationEntry[] {
  const friends = snapshot.friends?.friends ?? [];
  return friends
    .map((friend) => {
      const state = snapshot.rooms.get(friend.roomId);
      const since = Date.parse(friend.since);
      return { friend, state, activity: state?.lastActivity ?? (Number.isFinite(since) ? since : 0) };
    })
    .sort((a, b) => b.activity - a.activity || a.friend.user.username.localeCompare(b.friend.user.username));
}

/** A conversation in the full list: a friend's, or a group's. */
export type ListedConversation =
  | { kind: 'direct'; roomId: string; title: string; friend: Friend; state: RoomState | undefined; activity: number }
  | { kind: 'group'; roomId: string; title: string; friend: null; state: RoomState; activity: number };

/** Friends' conversations and groups together, the most recently active first, then by title. */
export function allConversations(snapshot: Pick<ChatSnapshot, 'friends' | 'rooms'>): ListedConversation[] {
  const direct = conversationList(snapshot).map((entry): ListedConversation => ({
    kind: 'direct',
    roomId: entry.friend.roomId,
    title: entry.friend.user.username,
    ...entry,
  }));
  const groups: ListedConversation[] = [];
  for (const state of snapshot.rooms.values()) {
    if (!state.group) continue;
    // A group with no messages yet is as recent as its latest change.
    const activity = state.lastActivity ?? state.group.changedAt ?? 0;
    groups.push({ kind: 'group', roomId: state.room.id, title: state.group.title, friend: null, state, activity });
  }
  return [...direct, ...groups].sort((a, b) => b.activity - a.activity || a.title.localeCompare(b.title));
}
