// What the app sees: immutable snapshots of the session (for React's
// useSyncExternalStore, or any other view), one view per conversation, rebuilt
// only for conversations that changed. A group's view carries the group as its
// verified chain has it, and its membership changes among its messages.

import type { FriendsList, PublicUser, Room } from '@onionchat/contract';
import type { ConnectionState } from '../transport/realtime.js';
import { sequenceNotices, type PeerTrust } from '../trust/index.js';
import { applyActions } from './actions-view.js';
import { isGroup, type GroupRooms } from './group-rooms.js';
import type { GroupView } from './group-view.js';
import { currentTimer, timerNotice } from './disappearing.js';
import type { ChatItem } from './items.js';
import type { MemberMarks } from './receipts.js';
import type { Conversation } from './room-store.js';
import type { RoomTrust } from './room-trust.js';

export interface RoomState {
  room: Room;
  /** The other member of a direct room (null in a group). */
  peer: PublicUser | null;
  /** The messages in order; in a group, with a 'notice' item for each membership change. */
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
  /** The newest message held (for the conversation list; never a notice). */
  last: ChatItem | null;
  /** How far the other member's keys are trusted (null until they were checked, and in a group). */
  trust: PeerTrust | null;
  /** Why nothing can be sent here now (the other member's key changed; in a group: its chain), or null. */
  sendBlocked: string | null;
  /** The server changed who is in this direct conversation: the warning to show, or null. */
  membersChanged: string | null;
  /** Gaps, repeats and reordering noticed in the senders' counters, by the key of the item they precede. */
  notices: ReadonlyMap<string, string>;
  /** A group conversation: its name, members and warnings (absent or null for a direct one). */
  group?: GroupView | null;
  /** The conversation's disappearing timer (seconds; 0 or absent: off): the latest timer message held. */
  timer?: number;
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
  /** Saving safety numbers to the account failed (they stay in effect in this session). */
  trustSaveProblem: string | null;
  /** This account sends (and sees) read receipts. */
  readReceipts: boolean;
}

/** Before anything is known. */
export const EMPTY_SNAPSHOT: ChatSnapshot = Object.freeze({
  connection: 'connecting',
  refusal: null,
  connectedOnce: false,
  friends: null,
  rooms: new Map<string, RoomState>(),
  error: null,
  totalUnread: 0,
  queued: 0,
  trustSaveProblem: null,
  readReceipts: true,
});

/** Builds each conversation's view, again only when it changed. */
export class RoomViews {
  private readonly cache = new Map<string, { revision: number; view: RoomState }>();

  constructor(
    private readonly meId: string,
    private readonly trust: Pick<RoomTrust, 'peer' | 'sendBlock' | 'membersWarning'>,
    private readonly groups: Pick<GroupRooms, 'view' | 'items' | 'nameOf'>,
    private readonly receipts: { marks(roomId: string, items: readonly ChatItem[], complete: boolean): MemberMarks[] },
  ) {}

  build(conversations: Iterable<Conversation>): Map<string, RoomState> {
    const rooms = new Map<string, RoomState>();
    for (const conversation of conversations) {
      const id = conversation.room.id;
      let cached = this.cache.get(id);
      if (!cached || cached.revision !== conversation.revision) {
        cached = { revision: conversation.revision, view: this.view(conversation) };
        this.cache.set(id, cached);
      }
      rooms.set(id, cached.view);
    }
    for (const id of [...this.cache.keys()]) if (!rooms.has(id)) this.cache.delete(id);
    return rooms;
  }

  private view(conversation: Conversation): RoomState {
    const { room, timeline } = conversation;
    const held = timeline.items;
    const group = isGroup(room) ? this.groups.view(room.id) : null;
    const peer = group ? null : (room.members.find((member) => member.id !== this.meId) ?? null);
    const complete = conversation.loaded && !conversation.partial && !conversation.hasOlder;
    const nameOf = group
      ? this.groups.nameOf
      : (id: string) => room.members.find((member) => member.id === id)?.username ?? 'someone';
    const others = group ? Math.max(0, group.members.length - 1) : 1;
    const messages = withReceipts(
      applyActions(
        held.map((item) => this.timerItem(item, room)),
        this.meId,
        nameOf,
      ),
      this.receipts.marks(room.id, held, complete),
      others,
    );
    const last = messages[messages.length - 1] ?? null;
    // A change filed before the oldest message held waits for the history before it.
    const shownFrom = conversation.hasOlder ? timeline.lowest : null;
    return {
      room,
      peer,
      trust: peer ? this.trust.peer(peer.id) : null,
      sendBlocked: this.trust.sendBlock(room),
      membersChanged: this.trust.membersWarning(room.id),
      notices: onShownItems(withoutDisappeared(sequenceNotices(held, complete, nameOf), held), held, messages),
      items: group ? this.groups.items(room, messages, shownFrom) : messages,
      loaded: conversation.loaded,
      partial: conversation.partial,
      hasOlder: conversation.hasOlder,
      loadingOlder: conversation.loadingOlder,
      error: conversation.error,
      lastActivity: last?.time ?? null,
      last,
      group,
      timer: currentTimer(held),
    };
  }

  /** A timer message as shown: a notice of who set what ("Alice set disappearing messages to 1 day"). */
  private timerItem(item: ChatItem, room: Room): ChatItem {
    if (item.timer === null || item.timer === undefined) return item;
    const setter = item.mine
      ? 'me'
      : {
          name: isGroup(room)
            ? this.groups.nameOf(item.senderId)
            : (room.members.find((member) => member.id === item.senderId)?.username ?? null),
        };
    const text = timerNotice(setter, item.timer);
    return item.state === 'sent' || item.state === 'pending' ? { ...item, text, state: 'notice' } : { ...item, text };
  }
}

/**
 * Gap notices, less those before a disappearing message: the messages missing before it
 * may have disappeared on the server before this client saw them, which a reader cannot
 * tell from the server withholding them (PROTOCOL.md §20).
 */
function withoutDisappeared(notices: Map<string, string>, items: readonly ChatItem[]): Map<string, string> {
  if (notices.size === 0) return notices;
  for (const item of items) {
    if (notices.has(item.key) && (item.expiresAt != null || item.ttl != null)) notices.delete(item.key);
  }
  return notices;
}

/** A notice before an action (not shown itself) goes before the next message shown. */
function onShownItems(
  notices: Map<string, string>,
  held: readonly ChatItem[],
  shown: readonly ChatItem[],
): Map<string, string> {
  if (notices.size === 0) return notices;
  const shownKeys = new Set(shown.map((item) => item.key));
  const moved = new Map<string, string>();
  let carried: string | null = null;
  for (const item of held) {
    const notice = notices.get(item.key) ?? null;
    const text: string | null = carried && notice ? `${carried} ${notice}` : (carried ?? notice);
    if (!shownKeys.has(item.key)) {
      carried = text;
      continue;
    }
    carried = null;
    if (text) moved.set(item.key, text);
  }
  return moved;
}

/** This account's stored messages with how many of the `others` have them and read them. */
function withReceipts(items: ChatItem[], marks: readonly MemberMarks[], others: number): ChatItem[] {
  if (marks.length === 0 || others === 0) return items;
  return items.map((item) => {
    if (!item.mine || item.seq === null || item.state !== 'sent' || item.deleted) return item;
    const seq = item.seq;
    const delivered = marks.filter((mark) => mark.delivered >= seq || mark.read >= seq).length;
    const read = marks.filter((mark) => mark.read >= seq).length;
    if (delivered === 0) return item;
    return { ...item, receipts: { delivered: Math.min(delivered, others), read: Math.min(read, others), of: others } };
  });
}
