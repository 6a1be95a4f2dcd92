// What the page sees: immutable snapshots of the session (for React's
// useSyncExternalStore), one view per conversation.

import type { FriendsList, PublicUser, Room } from '../api';
import type { PeerTrust } from '../keys';
import type { ChatItem } from '../messages';
import type { ConnectionState } from '../realtime';
import { sequenceNotices } from '../trust/sequence';
import type { ChatCore } from './core';
import type { RoomEntry } from './room-entry';
import type { ChatTrust } from './trust';

export interface RoomState {
  room: Room;
  /** The other member of a direct room. */
  peer: PublicUser | null;
  items: readonly ChatItem[];
  /** The latest messages have been fetched at least once. */
  loaded: boolean;
  /** Fetched only the newest message (for the list), not a page yet. */
  partial: boolean;
  hasOlder: boolean;
  loadingOlder: boolean;
  error: string | null;
  /** Time of the newest message held. */
  lastActivity: number | null;
  /** The newest message held (for the conversation list). */
  last: ChatItem | null;
  /** How far the other member's keys are trusted (null until they were checked). */
  trust: PeerTrust | null;
  /** Why nothing can be sent here now (the other member's key changed), or null. */
  sendBlocked: string | null;
  /** Gaps, repeats and reordering noticed in the senders' counters, by the key of the item they precede. */
  notices: ReadonlyMap<string, string>;
}

export interface ChatSnapshot {
  connection: ConnectionState;
  /** The server's reason for refusing the live connection (e.g. too many open tabs), or null. */
  refusal: string | null;
  /** Has been connected at least once (so "connecting" later means "reconnecting"). */
  connectedOnce: boolean;
  friends: FriendsList | null;
  rooms: ReadonlyMap<string, RoomState>;
  /** Loading the friend list failed (and nothing is shown yet). */
  error: string | null;
  totalUnread: number;
  /** Messages waiting to go out. */
  queued: number;
  /** Saving safety numbers to the account failed (they stay in effect in this tab). */
  trustSaveProblem: string | null;
}

/** New messages from others, as they arrive (for the live region and the "New messages" pill). */
export type IncomingListener = (roomId: string, items: ChatItem[]) => void;

/** A conversation as the page shows it. */
export function roomView(entry: RoomEntry, core: ChatCore, trust: ChatTrust): RoomState {
  const items = entry.timeline.items;
  const last = items[items.length - 1] ?? null;
  const peer = entry.room.members.find((member) => member.id !== core.me.id) ?? null;
  const complete = entry.loaded && !entry.partial && !entry.hasOlder;
  const nameOf = (id: string) => entry.room.members.find((member) => member.id === id)?.username ?? 'someone';
  return {
    room: entry.room,
    peer,
    trust: peer ? core.directory.trust(peer.id) : null,
    sendBlocked: trust.sendBlock(entry.room),
    notices: sequenceNotices(items, complete, nameOf),
    items,
    loaded: entry.loaded,
    partial: entry.partial,
    hasOlder: entry.hasOlder,
    loadingOlder: entry.loadingOlder,
    error: entry.error,
    lastActivity: last?.time ?? null,
    last,
  };
}
