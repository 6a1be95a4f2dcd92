// A conversation's messages from the server: the first load (newest first), catching
// up after every (re)connection, older pages on demand, opening and filing each
// message, and checking again what waited for a key the person has since accepted.

import { errorMessage } from '../account';
import { api, type ServerMessage } from '../api';
import { openServerMessage, yieldToBrowser, type ChatItem } from '../messages';
import type { Outbox } from '../outbox';
import type { ChatCore } from './core';
import { validMessages, type RoomEntry } from './room-entry';

/** Messages fetched when a conversation is first opened, and per step back through history. */
export const PAGE_SIZE = 50;
const CATCH_UP_PAGE = 100;
/** Spend at most this long checking signatures before letting the page repaint. */
const SLICE_MS = 24;

export class RoomHistory {
  constructor(
    private readonly core: ChatCore,
    private readonly outbox: Outbox,
  ) {}

  /** Only call from inside the room's queue. */
  async syncRoomNow(entry: RoomEntry): Promise<void> {
    const roomId = entry.room.id;
    const full = this.core.activeRoomId === roomId;
    if (!entry.loaded || (entry.partial && full)) {
      // The newest messages first: a whole page for the open conversation, just the
      // last one for the others (for the conversation list; the rest on opening).
      const lastSeq = entry.room.lastSeq;
      const lowestHeld = entry.loaded ? entry.timeline.lowest : null;
      if (lastSeq > 0 && (lowestHeld === null || lowestHeld > 1)) {
        const before = lowestHeld ?? lastSeq + 1;
        const page = await api.messagesBefore(roomId, before, full ? PAGE_SIZE : 1);
        if (this.core.entries.get(roomId) !== entry) return;
        await this.ingest(
          entry,
          validMessages(page.messages, roomId).filter((m) => m.seq < before),
          false,
        );
        const lowest = entry.timeline.lowest;
        if (!entry.loaded) entry.timeline.start(lowest !== null ? Math.min(lowest - 1, lastSeq) : lastSeq);
        entry.hasOlder = lowest !== null && lowest > 1 && (lowestHeld === null || lowest < lowestHeld);
      } else if (!entry.loaded) {
        entry.timeline.start(lastSeq);
        entry.hasOlder = false;
      }
      entry.partial = !full && entry.hasOlder;
      entry.loaded = true;
      this.core.changed(entry);
    }
    await this.catchUpNow(entry);
    // A recheck after an accepted key may have failed to reach the server: try again.
    await this.recheckHeld(entry);
  }

  /** Fetches everything after the last seq held without a gap. Only call from inside the room's queue. */
  async catchUpNow(entry: RoomEntry, force = false): Promise<void> {
    const roomId = entry.room.id;
    for (let round = 0; ; round += 1) {
      const after = entry.timeline.syncedUpTo;
      if (!(force && round === 0) && after >= entry.room.lastSeq && entry.timeline.highest <= after) {
        // The room list says there is nothing newer: no request needed. Check
        // anyway when the list is older than what the socket told us.
        return;
      }
      const page = await api.messagesAfter(roomId, after, CATCH_UP_PAGE);
      if (!this.core.entries.has(roomId)) return;
      const messages = validMessages(page.messages, roomId);
      await this.ingest(entry, messages, true);
      const progressed = entry.timeline.syncedUpTo > after;
      if (!page.hasMore || !progressed) {
        // A server that says there are no more messages below the count it gave:
        // believe the messages, not the count.
        if (!page.hasMore && entry.room.lastSeq > entry.timeline.syncedUpTo && messages.length === 0) {
          entry.room = { ...entry.room, lastSeq: entry.timeline.syncedUpTo };
        }
        return;
      }
    }
  }

  async loadOlder(roomId: string): Promise<void> {
    const entry = this.core.entries.get(roomId);
    if (!entry || !entry.hasOlder || entry.loadingOlder) return;
    entry.loadingOlder = true;
    this.core.changed(entry);
    try {
      await this.core.queue.run(roomId, async () => {
        const lowest = entry.timeline.lowest;
        if (lowest === null || lowest <= 1) {
          entry.hasOlder = false;
          return;
        }
        const page = await api.messagesBefore(roomId, lowest, PAGE_SIZE);
        const messages = validMessages(page.messages, roomId).filter((m) => m.seq < lowest);
        await this.ingest(entry, messages, false);
        const now = entry.timeline.lowest ?? lowest;
        entry.hasOlder = now > 1 && now < lowest;
        entry.partial = false;
        entry.error = null;
      });
    } catch (error) {
      entry.error = errorMessage(error);
    } finally {
      entry.loadingOlder = false;
      this.core.changed(entry);
    }
  }

  /**
   * Opens and files messages (already-held seqs skipped). `fresh`: these
   * may be new since the room list was fetched (count them as unread, announce them).
   * Only call from inside the room's queue.
   */
  async ingest(entry: RoomEntry, messages: ServerMessage[], fresh: boolean): Promise<void> {
    const ctx = this.core.openContext();
    const incoming: ChatItem[] = [];
    let sliceStart = performance.now();
    // New messages oldest first (in reading order); history newest first, so what is
    // next to the screen appears first (checking signatures is slow without a JIT).
    const ordered = [...messages].sort((a, b) => (fresh ? a.seq - b.seq : b.seq - a.seq));
    for (const message of ordered) {
      if (entry.timeline.has(message.seq)) continue;
      const item = await openServerMessage(message, entry.room, ctx);
      if (this.core.stopped || this.core.entries.get(entry.room.id) !== entry) return;
      if (entry.timeline.has(message.seq)) continue;
      if (item.untrustedKey) this.core.held.hold(message, item.untrustedKey);
      const pending =
        item.mine && item.state === 'sent' && item.messageId ? entry.timeline.findPending(item.messageId) : null;
      if (pending && item.messageId) {
        // Our own send, stored by the server (its acknowledgement may have been lost).
        entry.timeline.confirmPending(item.messageId, message.seq, item.time);
        this.outbox.delivered(item.messageId);
      } else {
        entry.timeline.insert(item);
      }
      if (message.seq > entry.room.lastSeq) {
        let { unread } = entry.room;
        if (!item.mine && message.seq > entry.room.lastReadSeq && !this.core.watching(entry.room.id)) unread += 1;
        entry.room = { ...entry.room, lastSeq: message.seq, unread };
        if (fresh && !item.mine) incoming.push(item);
      }
      if (performance.now() - sliceStart > SLICE_MS) {
        this.core.changed(entry);
        await yieldToBrowser();
        sliceStart = performance.now();
      }
    }
    this.core.changed(entry);
    if (incoming.length > 0) {
      for (const listener of this.core.incomingListeners) listener(entry.room.id, incoming);
    }
  }

  /**
   * Opens again, in seq order, the messages refused only because a key was not
   * trusted, now that it is; each takes its old item's place, shown or refused
   * for whatever else is wrong with it. Only call from inside the room's queue.
   */
  async recheckHeld(entry: RoomEntry): Promise<void> {
    const roomId = entry.room.id;
    const due = this.core.held.due(roomId, (userId) => this.core.directory.trusts(userId));
    if (due.length === 0) return;
    const ctx = this.core.openContext();
    let sliceStart = performance.now();
    for (const message of due) {
      // A key that can't be fetched now throws: the rest stay held for the next sync.
      const item = await openServerMessage(message, entry.room, ctx);
      if (this.core.stopped || this.core.entries.get(roomId) !== entry) return;
      this.core.held.release(roomId, message.seq);
      // Another member's key may still be untrusted (it waits for that one, then).
      if (item.untrustedKey) this.core.held.hold(message, item.untrustedKey);
      entry.timeline.replace(item);
      if (performance.now() - sliceStart > SLICE_MS) {
        this.core.changed(entry);
        await yieldToBrowser();
        sliceStart = performance.now();
      }
    }
    this.core.changed(entry);
  }
}
