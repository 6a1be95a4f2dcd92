// A conversation's messages from the server: the first load (newest first), catching
// up after every (re)connection, older pages on demand, opening and filing each
// message, and checking again what waited for a key the person has since accepted.
// Every method that changes a room runs inside that room's queue.

import type { ServerMessage } from '@onionchat/contract';
import { describeError } from '../describe-error.js';
import type { Platform } from '../platform.js';
import type { Api } from '../transport/api.js';
import type { HeldMessages } from '../trust/index.js';
import { decodeMessages } from './decode.js';
import type { DeliveredMarks } from './delivered-marks.js';
import type { IncomingFeed } from './incoming.js';
import { countsAsNew, type ChatItem } from './items.js';
import type { KeyedQueue } from './keyed-queue.js';
import { openServerMessage, type OpenContext } from './open-message.js';
import type { Outbox } from './outbox.js';
import type { RoomStore } from './room-store.js';

/** Messages fetched when a conversation is first opened, and per step back through history. */
export const PAGE_SIZE = 50;
const CATCH_UP_PAGE = 100;
/** Spend at most this long checking signatures before letting the page repaint. */
const SLICE_MS = 24;

export interface HistoryParts {
  api: Pick<Api, 'messagesBefore' | 'messagesAfter'>;
  store: RoomStore;
  queue: KeyedQueue;
  open: OpenContext;
  held: HeldMessages;
  /** Told when a catch-up shows that one of our sends was stored after all. */
  outbox: Pick<Outbox, 'delivered'>;
  /** Told of every stored message that reached this device (a group's delivered mark). */
  delivered: Pick<DeliveredMarks, 'received'>;
  platform: Pick<Platform, 'monotonic' | 'breathe'>;
  incoming: IncomingFeed;
}

export class RoomHistory {
  constructor(private readonly parts: HistoryParts) {}

  /** Loads a room for the first time (or a full page of a partly loaded one), then catches it up. In the room's queue. */
  async syncRoomNow(roomId: string): Promise<void> {
    const { store } = this.parts;
    const conversation = store.get(roomId);
    if (!conversation) return;
    const full = store.activeRoomId === roomId;
    if (!conversation.loaded || (conversation.partial && full)) {
      // The newest messages first: a whole page for the open conversation, just the
      // last one for the others (for the conversation list; the rest on opening).
      const lastSeq = conversation.room.lastSeq;
      const wasLoaded = conversation.loaded;
      const lowestHeld = wasLoaded ? conversation.timeline.lowest : null;
      let hasOlder = false;
      if (lastSeq > 0 && (lowestHeld === null || lowestHeld > 1)) {
        const before = lowestHeld ?? lastSeq + 1;
        const page = await this.parts.api.messagesBefore(roomId, before, full ? PAGE_SIZE : 1);
        if (store.get(roomId) !== conversation) return;
        const messages = decodeMessages(page.messages, roomId).filter((m) => m.seq < before);
        await this.ingest(roomId, messages, false);
        if (store.get(roomId) !== conversation) return;
        const lowest = conversation.timeline.lowest;
        if (!wasLoaded) store.startTimeline(roomId, lowest !== null ? Math.min(lowest - 1, lastSeq) : lastSeq);
        hasOlder = lowest !== null && lowest > 1 && (lowestHeld === null || lowest < lowestHeld);
      } else if (!wasLoaded) {
        store.startTimeline(roomId, lastSeq);
      }
      store.setFlags(roomId, { hasOlder, partial: !full && hasOlder, loaded: true });
    }
    await this.catchUpNow(roomId);
    // A recheck after an accepted key may have failed to reach the server: try again.
    await this.recheckHeld(roomId);
  }

  /** Fetches everything after the last seq held without a gap. In the room's queue. */
  async catchUpNow(roomId: string, force = false): Promise<void> {
    const { store } = this.parts;
    const conversation = store.get(roomId);
    if (!conversation) return;
    for (let round = 0; ; round += 1) {
      const after = conversation.timeline.syncedUpTo;
      if (!(force && round === 0) && after >= conversation.room.lastSeq && conversation.timeline.highest <= after) {
        // The room list says there is nothing newer: no request needed.
        return;
      }
      const page = await this.parts.api.messagesAfter(roomId, after, CATCH_UP_PAGE);
      if (store.get(roomId) !== conversation) return;
      const messages = decodeMessages(page.messages, roomId);
      await this.ingest(roomId, messages, true);
      if (store.get(roomId) !== conversation) return;
      // Seqs skipped in a page are messages that disappeared (the server never reuses a seq).
      if (messages.length > 0) store.passOver(roomId, Math.max(...messages.map((message) => message.seq)));
      const progressed = conversation.timeline.syncedUpTo > after;
      if (!page.hasMore || !progressed) {
        // A server that says there are no more messages below the count it gave:
        // believe the messages, not the count.
        if (!page.hasMore && messages.length === 0) store.lowerLastSeq(roomId, conversation.timeline.syncedUpTo);
        return;
      }
    }
  }

  async loadOlder(roomId: string): Promise<void> {
    const { store } = this.parts;
    const conversation = store.get(roomId);
    if (!conversation || !conversation.hasOlder || conversation.loadingOlder) return;
    store.setFlags(roomId, { loadingOlder: true });
    try {
      await this.parts.queue.run(roomId, async () => {
        const lowest = conversation.timeline.lowest;
        if (lowest === null || lowest <= 1) {
          store.setFlags(roomId, { hasOlder: false });
          return;
        }
        const page = await this.parts.api.messagesBefore(roomId, lowest, PAGE_SIZE);
        const messages = decodeMessages(page.messages, roomId).filter((m) => m.seq < lowest);
        await this.ingest(roomId, messages, false);
        const now = conversation.timeline.lowest ?? lowest;
        store.setFlags(roomId, { hasOlder: now > 1 && now < lowest, partial: false, error: null });
      });
    } catch (error) {
      store.setFlags(roomId, { error: describeError(error) });
    } finally {
      store.setFlags(roomId, { loadingOlder: false });
    }
  }

  /**
   * Opens and files messages in seq order (seqs held already are skipped). `fresh`:
   * these may be new since the room list was fetched (announce them). In the room's queue.
   */
  async ingest(roomId: string, messages: readonly ServerMessage[], fresh: boolean): Promise<void> {
    const { store, platform } = this.parts;
    const conversation = store.get(roomId);
    if (!conversation) return;
    const incoming: ChatItem[] = [];
    let sliceStart = platform.monotonic();
    // Oldest first, history pages too: the replay check keeps the first copy of a
    // message, so a page opened newest first would take an old message re-filed
    // under a later seq for the original, and the original for the replay.
    const ordered = [...messages].sort((a, b) => a.seq - b.seq);
    for (const message of ordered) {
      if (conversation.timeline.has(message.seq)) continue;
      const item = await openServerMessage(message, conversation.room, this.parts.open);
      if (store.get(roomId) !== conversation) return;
      if (conversation.timeline.has(message.seq)) continue;
      if (item.untrustedKey) this.parts.held.hold(message, item.untrustedKey);
      const filed = store.file(roomId, item);
      if (filed.outcome !== 'duplicate' && !item.mine) this.parts.delivered.received(roomId, message.seq);
      if (filed.outcome === 'confirmed' && item.messageId) this.parts.outbox.delivered(item.messageId);
      // A message delivered late or again is shown, flagged, but never announced as new.
      if (filed.newest && fresh && countsAsNew(item)) incoming.push(item);
      sliceStart = await this.breatheIfDue(sliceStart);
    }
    this.parts.incoming.tell(roomId, incoming);
  }

  /**
   * Opens again, in seq order, the messages refused only because a key was not
   * trusted, now that it is; each takes its old item's place, shown or refused for
   * whatever else is wrong with it. In the room's queue.
   */
  async recheckHeld(roomId: string): Promise<void> {
    const { held, open } = this.parts;
    const due = held.due(roomId, (userId) => open.directory.trusts(userId));
    await this.reopen(roomId, due, (message) => held.release(roomId, message.seq));
  }

  /**
   * Opens stored messages again, in seq order (a key accepted, a group change verified
   * since): each takes its old item's place. `opened` hears each one done. A key that
   * can't be fetched now throws: the rest wait for the next try. In the room's queue.
   */
  async reopen(
    roomId: string,
    messages: readonly ServerMessage[],
    opened: (message: ServerMessage) => void = () => undefined,
  ): Promise<void> {
    const { store, held, open } = this.parts;
    const conversation = store.get(roomId);
    if (!conversation) return;
    let sliceStart = this.parts.platform.monotonic();
    for (const message of [...messages].sort((a, b) => a.seq - b.seq)) {
      const item = await openServerMessage(message, conversation.room, open);
      if (store.get(roomId) !== conversation) return;
      opened(message);
      // Another member's key may still be untrusted (it waits for that one, then).
      if (item.untrustedKey) held.hold(message, item.untrustedKey);
      store.replace(roomId, item);
      sliceStart = await this.breatheIfDue(sliceStart);
    }
  }

  /** Lets the page repaint after a slice of work; returns when the next slice started. */
  private async breatheIfDue(sliceStart: number): Promise<number> {
    const { platform } = this.parts;
    if (platform.monotonic() - sliceStart <= SLICE_MS) return sliceStart;
    await platform.breathe();
    return platform.monotonic();
  }
}
