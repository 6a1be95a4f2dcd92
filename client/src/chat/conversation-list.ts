// The conversation list as people see it: one entry per friend, the most recently
// active first (then by name, so the order is stable).

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
