// Unread counts and read receipts: a badge cleared at once, the server told shortly
// after (debounced), and other sessions' reads applied as they are announced.

import { api } from '../api';
import type { ChatCore } from './core';
import type { RoomEntry } from './room-entry';

const READ_DEBOUNCE_MS = 600;

/** Messages from others held in (from, to]. */
export function countOthers(entry: RoomEntry, from: number, to: number): number {
  let count = 0;
  for (const item of entry.timeline.items) {
    if (item.seq !== null && item.seq > from && item.seq <= to && !item.mine) count += 1;
  }
  return count;
}

export class ReadReceipts {
  constructor(private readonly core: ChatCore) {}

  onRoomRead(payload: unknown): void {
    if (typeof payload !== 'object' || payload === null) return;
    const { roomId, lastReadSeq } = payload as { roomId?: unknown; lastReadSeq?: unknown };
    if (typeof roomId !== 'string' || typeof lastReadSeq !== 'number' || !Number.isSafeInteger(lastReadSeq)) return;
    const entry = this.core.entries.get(roomId);
    if (!entry) return;
    this.applyRead(entry, lastReadSeq);
  }

  private applyRead(entry: RoomEntry, seq: number): void {
    const room = entry.room;
    if (seq <= room.lastReadSeq) return;
    const lastReadSeq = seq;
    let unread: number;
    if (lastReadSeq >= room.lastSeq) {
      unread = 0;
    } else {
      const lowest = entry.timeline.lowest;
      const covered = lowest !== null && lowest <= lastReadSeq + 1 && entry.timeline.syncedUpTo >= room.lastSeq;
      unread = covered
        ? countOthers(entry, lastReadSeq, room.lastSeq)
        : Math.min(room.unread, room.lastSeq - lastReadSeq);
    }
    entry.room = { ...room, lastReadSeq, unread };
    this.core.changed(entry);
  }

  /** The person has seen the room up to `seq`: clear its badge now, tell the server shortly. */
  markRead(roomId: string, seq: number): void {
    const entry = this.core.entries.get(roomId);
    if (!entry || !Number.isSafeInteger(seq) || seq < 1) return;
    this.applyRead(entry, seq);
    if (seq <= entry.readSent || seq <= entry.readWanted) return;
    entry.readWanted = seq;
    if (entry.readTimer) return;
    entry.readTimer = setTimeout(() => {
      entry.readTimer = null;
      void this.flushRead(entry);
    }, READ_DEBOUNCE_MS);
  }

  private async flushRead(entry: RoomEntry): Promise<void> {
    const seq = entry.readWanted;
    if (seq <= entry.readSent || this.core.stopped) return;
    const before = entry.readSent;
    entry.readSent = seq;
    try {
      const { lastReadSeq } = await api.markRead(entry.room.id, seq);
      if (typeof lastReadSeq === 'number') this.applyRead(entry, lastReadSeq);
    } catch {
      // Try again with the next read (or the next visit).
      if (entry.readSent === seq) entry.readSent = before;
      entry.readWanted = before;
    }
  }
}
