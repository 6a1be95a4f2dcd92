// The conversations, held in one place: each room's record (with its unread count),
// its timeline, whether it is loaded, and what went wrong with it. Nothing else
// changes them: the other parts ask the store, and every unread count it keeps goes
// through the one rule in ./unread.ts.

import type { FriendsList, Room } from '@onionchat/contract';
import type { Platform } from '../platform.js';
import { raiseDeliveredMark } from './delivery-counts.js';
import { DirectMembers } from './direct-members.js';
import { countsAsNew, type ChatItem } from './items.js';
import { Timeline } from './timeline.js';
import { applyReadMark, countNew, mergeServerRoom, unreadAfter, type HeldMessagesView } from './unread.js';

/** A timeline as the other parts may read it. */
export type TimelineView = Pick<
  Timeline,
  | 'items'
  | 'size'
  | 'has'
  | 'lowest'
  | 'highest'
  | 'syncedUpTo'
  | 'findPending'
  | 'covers'
  | 'othersBetween'
  | 'timers'
  | 'nextExpiry'
>;

/** How far a conversation is loaded, and its last problem. */
export interface ConversationFlags {
  /** The latest messages have been fetched at least once. */
  loaded: boolean;
  /** Fetched only the newest message (for the list), not a page yet. */
  partial: boolean;
  hasOlder: boolean;
  loadingOlder: boolean;
  error: string | null;
}

/** One conversation, read-only outside the store. */
export interface Conversation extends Readonly<ConversationFlags> {
  readonly room: Room;
  readonly timeline: TimelineView;
  /** Bumped on every change (for cached views). */
  readonly revision: number;
}

/** What filing an opened message did. */
export interface Filed {
  /** 'confirmed': it was this client's pending send (the outbox can forget it). */
  outcome: 'filed' | 'confirmed' | 'duplicate';
  /** Newer than anything known of the room before (a new message, not history). */
  newest: boolean;
}

class Entry implements Conversation {
  timeline = new Timeline();
  loaded = false;
  partial = false;
  hasOlder = false;
  loadingOlder = false;
  error: string | null = null;
  revision = 0;

  constructor(public room: Room) {}
}

export type StoreListener = (roomId: string | null) => void;

export class RoomStore {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<StoreListener>();
  private readonly removedListeners = new Set<(roomId: string) => void>();
  private readonly confirmedListeners = new Set<(roomId: string, clientId: string) => void>();
  private active: string | null = null;
  private friendList: FriendsList | null = null;
  private problem: string | null = null;

  constructor(
    private readonly meId: string,
    private readonly platform: Pick<Platform, 'visible'>,
    /** Shared with the room trust rules, which see each listing first. */
    private readonly members: DirectMembers = new DirectMembers(),
    /** Wall-clock time (ms): disappearing messages due by it never show. */
    private readonly now: () => number = Date.now,
  ) {}

  // ---------------------------------------------------------------- reading

  get(roomId: string): Conversation | undefined {
    return this.entries.get(roomId);
  }

  has(roomId: string): boolean {
    return this.entries.has(roomId);
  }

  ids(): string[] {
    return [...this.entries.keys()];
  }

  conversations(): IterableIterator<Conversation> {
    return this.entries.values();
  }

  get friends(): FriendsList | null {
    return this.friendList;
  }

  /** Loading the friend list failed (and nothing is shown yet). */
  get listError(): string | null {
    return this.problem;
  }

  get activeRoomId(): string | null {
    return this.active;
  }

  /** The person is looking at this room now: what arrives there is read, not unread. */
  watching(roomId: string): boolean {
    return this.active === roomId && this.platform.visible();
  }

  get totalUnread(): number {
    let total = 0;
    for (const entry of this.entries.values()) total += entry.room.unread;
    return total;
  }

  /** Hears every change (`roomId`: the conversation changed, null: the lists or everything). */
  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Hears of every conversation that is gone (friend removed, group left): what is kept for it elsewhere goes too. */
  onRemoved(listener: (roomId: string) => void): () => void {
    this.removedListeners.add(listener);
    return () => this.removedListeners.delete(listener);
  }

  /** Hears of each of this client's sends the server stored, however this client learned it (its answer, or a sync). */
  onConfirmed(listener: (roomId: string, clientId: string) => void): () => void {
    this.confirmedListeners.add(listener);
    return () => this.confirmedListeners.delete(listener);
  }

  // ---------------------------------------------------------------- lists

  setActive(roomId: string | null): void {
    this.active = roomId;
  }

  setFriends(friends: FriendsList): void {
    this.friendList = friends;
    this.problem = null;
    this.announce(null);
  }

  setListError(message: string): void {
    if (this.friendList) return;
    this.problem = message;
    this.announce(null);
  }

  /**
   * The server's room list: new rooms are added, known ones merged with what the
   * socket told us since, and rooms no longer listed removed (their ids returned).
   * A direct room whose members the server changed keeps the members first seen, so
   * its messages and keys are never checked against whoever was put in. `keep`: a room
   * not listed that stays (a group this account was removed from, which says so).
   */
  applyServerRooms(rooms: readonly Room[], keep: (roomId: string) => boolean = () => false): string[] {
    const seen = new Set<string>();
    for (const listed of rooms) {
      this.members.note(listed);
      const room = this.members.admit(listed);
      seen.add(room.id);
      const entry = this.entries.get(room.id);
      if (!entry) {
        this.entries.set(room.id, new Entry(room));
        continue;
      }
      entry.room = mergeServerRoom(entry.room, room, entry.timeline);
      entry.revision += 1;
    }
    const removed = [...this.entries.keys()].filter((id) => !seen.has(id) && !keep(id));
    for (const id of removed) this.entries.delete(id);
    for (const id of removed) for (const listener of this.removedListeners) listener(id);
    this.announce(null);
    return removed;
  }

  /** This account left the conversation (a group): it goes now, before the next listing. */
  remove(roomId: string): void {
    if (!this.entries.delete(roomId)) return;
    for (const listener of this.removedListeners) listener(roomId);
    this.announce(null);
  }

  // ---------------------------------------------------------------- messages

  /** Files an opened message (a seq held already is skipped) and counts it when it is new. */
  file(roomId: string, item: ChatItem): Filed {
    const entry = this.entries.get(roomId);
    if (!entry || item.seq === null || entry.timeline.has(item.seq)) return { outcome: 'duplicate', newest: false };
    const seq = item.seq;
    let outcome: Filed['outcome'] = 'filed';
    if (item.mine && item.state === 'sent' && item.messageId && entry.timeline.findPending(item.messageId)) {
      // Our own send, stored by the server (its acknowledgement may have been lost).
      entry.timeline.confirmPending(item.messageId, seq, item.time, item.epoch, item.serverId);
      outcome = 'confirmed';
      this.confirmedOne(roomId, item.messageId);
    } else {
      entry.timeline.insert(item);
    }
    const newest = seq > entry.room.lastSeq;
    entry.room = countNew(entry.room, seq, !countsAsNew(item), this.watching(roomId));
    // The server counted a message delivered late or again as unread; this client does not.
    if (!item.mine && item.flag) entry.room = recount(entry.room, entry.timeline);
    this.touch(entry);
    return { outcome, newest };
  }

  /** A message announced for a room not loaded yet: counted now, fetched with the rest later. */
  noteUnloaded(roomId: string, seq: number, senderId: string): void {
    const entry = this.entries.get(roomId);
    if (!entry || entry.loaded) return;
    const room = countNew(entry.room, seq, senderId === this.meId, this.watching(roomId));
    if (room === entry.room) return;
    entry.room = room;
    this.touch(entry);
  }

  /** The server acknowledged our send as `seq`. */
  confirmSent(
    roomId: string,
    clientId: string,
    seq: number,
    time: number,
    epoch?: number,
    serverId?: string | null,
  ): void {
    const entry = this.entries.get(roomId);
    if (!entry) return;
    const pending = entry.timeline.findPending(clientId) !== null;
    entry.timeline.confirmPending(clientId, seq, time, epoch, serverId);
    if (pending) this.confirmedOne(roomId, clientId);
    entry.room = countNew(entry.room, seq, true, true);
    this.touch(entry);
  }

  /** A stored message checked again: it takes the old one's place. */
  replace(roomId: string, item: ChatItem): void {
    const entry = this.entries.get(roomId);
    if (!entry) return;
    entry.timeline.replace(item);
    this.touch(entry);
  }

  addPending(roomId: string, item: ChatItem): void {
    const entry = this.entries.get(roomId);
    if (!entry) return;
    entry.timeline.addPending(item);
    this.touch(entry);
  }

  updatePending(roomId: string, clientId: string, patch: Partial<ChatItem>): void {
    const entry = this.entries.get(roomId);
    if (!entry || !entry.timeline.findPending(clientId)) return;
    entry.timeline.updatePending(clientId, patch);
    this.touch(entry);
  }

  /** A manual retry goes out after the rest. */
  requeuePending(roomId: string, clientId: string, patch: Partial<ChatItem>): void {
    const entry = this.entries.get(roomId);
    if (!entry) return;
    entry.timeline.requeuePending(clientId, patch);
    this.touch(entry);
  }

  removePending(roomId: string, clientId: string): void {
    const entry = this.entries.get(roomId);
    if (!entry) return;
    entry.timeline.removePending(clientId);
    this.touch(entry);
  }

  /** The server says the seqs from what is held up to `seq` are gone (disappeared): a catch-up goes on after them. */
  passOver(roomId: string, seq: number): void {
    this.entries.get(roomId)?.timeline.passOver(seq);
  }

  // ---------------------------------------------------------------- disappearing

  /** The soonest time a message held disappears (ms), or null. */
  nextExpiry(): number | null {
    let soonest: number | null = null;
    for (const entry of this.entries.values()) {
      const next = entry.timeline.nextExpiry;
      if (next !== null && (soonest === null || next < soonest)) soonest = next;
    }
    return soonest;
  }

  /** Drops every message due at `now` (its content goes with it). */
  expire(now: number): void {
    for (const entry of this.entries.values()) {
      if (!entry.timeline.expire(now)) continue;
      entry.room = recount(entry.room, entry.timeline);
      entry.revision += 1;
      this.announce(entry.room.id);
    }
  }

  /** Where the timeline starts (see Timeline.start); what it holds now may make the unread count exact. */
  startTimeline(roomId: string, seq: number): void {
    const entry = this.entries.get(roomId);
    if (!entry) return;
    entry.timeline.start(seq);
    entry.room = recount(entry.room, entry.timeline);
  }

  setFlags(roomId: string, flags: Partial<ConversationFlags>): void {
    const entry = this.entries.get(roomId);
    if (!entry) return;
    Object.assign(entry, flags);
    this.touch(entry);
  }

  /** The server said there is nothing after `seq` although its list counted more: believe the messages. */
  lowerLastSeq(roomId: string, seq: number): void {
    const entry = this.entries.get(roomId);
    if (!entry || entry.room.lastSeq <= seq) return;
    const room = { ...entry.room, lastSeq: seq };
    entry.room = { ...room, unread: Math.min(room.unread, Math.max(0, seq - room.lastReadSeq)) };
    this.touch(entry);
  }

  // ---------------------------------------------------------------- read marks

  /** A read mark (this session's, the server's answer, or another session's). */
  applyRead(roomId: string, seq: number): void {
    const entry = this.entries.get(roomId);
    if (!entry) return;
    const room = applyReadMark(entry.room, seq, entry.timeline);
    if (room === entry.room) return;
    entry.room = room;
    this.touch(entry);
  }

  /** A group member's delivered mark (the server's answer, or its event); marks only go up. */
  applyDelivered(roomId: string, userId: string, seq: number): void {
    const entry = this.entries.get(roomId);
    // Kept for the groups the server keeps marks for (it lists them with the room).
    if (!entry?.room.delivered) return;
    const delivered = raiseDeliveredMark(entry.room.delivered, userId, seq);
    if (delivered === entry.room.delivered) return;
    entry.room = { ...entry.room, delivered };
    this.touch(entry);
  }

  // ---------------------------------------------------------------- notifying

  /** Something outside the store changed how a room looks (its trust): views are built again. */
  invalidate(roomId: string | null): void {
    if (roomId === null) for (const entry of this.entries.values()) entry.revision += 1;
    else {
      const entry = this.entries.get(roomId);
      if (entry) entry.revision += 1;
    }
    this.announce(roomId);
  }

  clear(): void {
    this.entries.clear();
    this.listeners.clear();
    this.removedListeners.clear();
    this.confirmedListeners.clear();
  }

  private confirmedOne(roomId: string, clientId: string): void {
    for (const listener of this.confirmedListeners) listener(roomId, clientId);
  }

  private touch(entry: Entry): void {
    // A message already due (a server still delivering it, a timer that just arrived) never shows.
    entry.timeline.expire(this.now());
    entry.revision += 1;
    this.announce(entry.room.id);
  }

  private announce(roomId: string | null): void {
    for (const listener of this.listeners) listener(roomId);
  }
}

/** The room's unread count again from what is held (exact when everything after the read mark is). */
function recount(room: Room, held: HeldMessagesView): Room {
  const unread = unreadAfter(room.lastReadSeq, room.lastSeq, room.unread, held);
  return unread === room.unread ? room : { ...room, unread };
}
