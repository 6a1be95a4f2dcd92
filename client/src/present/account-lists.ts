// The order of the account page's lists: this session first, then the most recently
// used; the newest invite first.

import type { Invite, Session } from '@onionchat/contract';

export function sessionsInOrder(sessions: readonly Session[]): Session[] {
  return [...sessions].sort(
    (a, b) => Number(b.current) - Number(a.current) || Date.parse(b.lastSeenAt) - Date.parse(a.lastSeenAt),
  );
}

export function invitesInOrder(invites: readonly Invite[]): Invite[] {
  return [...invites].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
}
