// Delivered and read receipts (PROTOCOL.md §22). This client tells the members of each
// conversation it has open, shortly after it changes (debounced), the latest message
// from someone else that reached it and, unless read receipts are off, the latest one
// read: one sealed, signed receipt per room that replaces the previous one. It keeps
// every member's latest receipt and, for this account's own messages, counts who has
// them and who has read them. A receipt counts only for messages it names correctly
// (judgeReceiptRef); with read receipts off, others' read marks are not shown either.

import type { Room } from '@onionchat/contract';
import {
  judgeReceiptRef,
  newUuid,
  receiptBody,
  sealMessageAsync,
  toBase64,
  type Identity,
  type MessageRef,
  type Receipt,
} from '@onionchat/protocol';
import type { Api } from '../transport/api.js';
import { heldMessages } from './actions-view.js';
import { decodeReceiptNew } from './decode.js';
import type { GroupRooms } from './group-rooms.js';
import type { ChatItem } from './items.js';
import { openReceipt, type OpenedReceipt, type ReceiptOpenContext } from './open-receipt.js';
import type { RoomStore } from './room-store.js';

export const RECEIPT_DEBOUNCE_MS = 1_500;

/** How far a member has got in a room: the seqs their valid receipt names (0: none). */
export interface MemberMarks {
  userId: string;
  delivered: number;
  read: number;
}

export interface ReceiptParts {
  api: Pick<Api, 'receipts' | 'saveReceipt'>;
  store: RoomStore;
  identity: Identity;
  /** This account and the keys receipts open (and are sealed) with. */
  open: ReceiptOpenContext;
  epochs: Pick<GroupRooms, 'sealEpoch'>;
}

export class Receipts {
  /** Every member's latest receipt per room (by signed send time: a replay cannot lower it). */
  private readonly got = new Map<string, Map<string, OpenedReceipt>>();
  /** What this client last told each room, as "delivered:read" seqs. */
  private readonly said = new Map<string, string>();
  private readonly fetched = new Set<string>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private sendRead = true;
  private stopped = false;

  constructor(
    private readonly parts: ReceiptParts,
    /** A room's receipts changed: its view is built again. */
    private readonly changed: (roomId: string) => void,
  ) {}

  /** Whether this account says what it has read (and sees what others have). */
  get readReceipts(): boolean {
    return this.sendRead;
  }

  setReadReceipts(on: boolean): void {
    if (this.sendRead === on) return;
    this.sendRead = on;
    // Each view is built again, and each change says the receipt again (roomChanged).
    for (const roomId of this.parts.store.ids()) this.changed(roomId);
  }

  /** The members' marks in a room, each ref judged against what is held. */
  marks(roomId: string, items: readonly ChatItem[], complete: boolean): MemberMarks[] {
    const receipts = this.got.get(roomId);
    if (!receipts || receipts.size === 0) return [];
    const named = new Set<number>();
    for (const { receipt } of receipts.values()) {
      if (receipt.delivered) named.add(receipt.delivered.seq);
      if (receipt.read) named.add(receipt.read.seq);
    }
    const held = heldMessages(items, named);
    const seqOf = (ref: MessageRef | null, userId: string) =>
      ref && judgeReceiptRef(ref, userId, held, complete) === null ? ref.seq : 0;
    return [...receipts.values()].map(({ userId, receipt }) => ({
      userId,
      delivered: seqOf(receipt.delivered, userId),
      read: this.sendRead ? seqOf(receipt.read, userId) : 0,
    }));
  }

  /** receipt:new from the socket. */
  onReceiptNew(payload: unknown): void {
    const event = decodeReceiptNew(payload);
    if (event) void this.take(event.roomId, event.userId, event.envelope);
  }

  /** A conversation changed: fetch its receipts once it is open, and say how far this client got. */
  roomChanged(roomId: string): void {
    const conversation = this.parts.store.get(roomId);
    if (!conversation?.loaded || conversation.partial || this.stopped) return;
    if (!this.fetched.has(roomId)) {
      this.fetched.add(roomId);
      void this.fetch(conversation.room);
    }
    const wanted = this.wanted(conversation.room, conversation.timeline.items);
    if (!wanted || this.said.get(roomId) === key(wanted) || this.timers.has(roomId)) return;
    this.timers.set(
      roomId,
      setTimeout(() => {
        this.timers.delete(roomId);
        void this.report(roomId);
      }, RECEIPT_DEBOUNCE_MS),
    );
  }

  /** After a reconnection: receipts sent meanwhile are fetched again. */
  reconnected(): void {
    this.fetched.clear();
    for (const roomId of this.parts.store.ids()) this.roomChanged(roomId);
  }

  forget(roomId: string): void {
    this.got.delete(roomId);
    this.said.delete(roomId);
    this.fetched.delete(roomId);
    const timer = this.timers.get(roomId);
    if (timer) clearTimeout(timer);
    this.timers.delete(roomId);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /** The newest message from someone else held, and the newest one read (from the end: they are the last ones). */
  private wanted(room: Room, items: readonly ChatItem[]): Receipt | null {
    let delivered: MessageRef | null = null;
    for (let i = items.length - 1; i >= 0; i--) {
      const item = items[i]!;
      if (item.mine || item.state !== 'sent' || item.seq === null || !item.messageId) continue;
      const ref = { id: item.messageId, seq: item.seq };
      delivered ??= ref;
      if (!this.sendRead) break;
      if (item.seq <= room.lastReadSeq) return { delivered, read: ref };
    }
    return delivered ? { delivered, read: null } : null;
  }

  private async report(roomId: string): Promise<void> {
    const conversation = this.parts.store.get(roomId);
    if (!conversation || this.stopped) return;
    const wanted = this.wanted(conversation.room, conversation.timeline.items);
    if (!wanted || this.said.get(roomId) === key(wanted)) return;
    try {
      await this.parts.api.saveReceipt(roomId, await this.seal(conversation.room, wanted));
      this.said.set(roomId, key(wanted));
    } catch {
      // Said again with the next change; a receipt is never worth an error in front of the person.
    }
  }

  private async seal(room: Room, receipt: Receipt): Promise<string> {
    const { identity, epochs } = this.parts;
    const { meId, keyring } = this.parts.open;
    const epoch = await epochs.sealEpoch(room);
    const roomKey = await keyring.get(room, epoch);
    const header = { roomId: room.id, epoch, senderId: meId, messageId: newUuid(), sentAt: Date.now() };
    return toBase64(await sealMessageAsync(header, receiptBody(receipt), roomKey, identity));
  }

  private async fetch(room: Room): Promise<void> {
    try {
      const { receipts } = await this.parts.api.receipts(room.id);
      await Promise.all(receipts.map((item) => this.take(room.id, item.userId, item.envelope)));
    } catch {
      this.fetched.delete(room.id);
    }
  }

  private async take(roomId: string, userId: string, envelope: string): Promise<void> {
    const room = this.parts.store.get(roomId)?.room;
    if (!room) return;
    const opened = await openReceipt(envelope, userId, room, this.parts.open);
    if (!opened) return;
    if (userId === this.parts.open.meId) {
      // What this account said before (another device, an earlier session): not said again.
      if (!this.said.has(roomId)) this.said.set(roomId, key(opened.receipt));
      return;
    }
    let receipts = this.got.get(roomId);
    if (!receipts) this.got.set(roomId, (receipts = new Map()));
    const current = receipts.get(userId);
    if (current && current.sentAt >= opened.sentAt) return;
    receipts.set(userId, opened);
    this.changed(roomId);
  }
}

function key(receipt: Receipt): string {
  return `${receipt.delivered?.seq ?? 0}:${receipt.read?.seq ?? 0}`;
}
