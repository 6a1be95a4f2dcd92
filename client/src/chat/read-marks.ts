// Read marks: a badge cleared at once, the server told shortly after (debounced),
// and other sessions' reads applied as they are announced. The counts themselves
// are the store's (through the one unread rule).

import type { Api } from '../transport/api.js';
import { decodeRoomRead } from './decode.js';
import type { RoomStore } from './room-store.js';

export const READ_DEBOUNCE_MS = 600;

interface Reported {
  /** Highest seq reported read to the server (or being reported). */
  sent: number;
  wanted: number;
  timer: ReturnType<typeof setTimeout> | null;
}

export class ReadMarks {
  private readonly rooms = new Map<string, Reported>();
  private stopped = false;

  constructor(
    private readonly api: Pick<Api, 'markRead'>,
    private readonly store: RoomStore,
  ) {}

  /** room:read: another session (or this one) read up to a seq. */
  onRoomRead(payload: unknown): void {
    const read = decodeRoomRead(payload);
    if (read) this.store.applyRead(read.roomId, read.lastReadSeq);
  }

  /** The person has seen the room up to `seq`: clear its badge now, tell the server shortly. */
  markRead(roomId: string, seq: number): void {
    const conversation = this.store.get(roomId);
    if (!conversation || !Number.isSafeInteger(seq) || seq < 1 || this.stopped) return;
    let reported = this.rooms.get(roomId);
    if (!reported) {
      // What the server knew before this one needs no report.
      const known = conversation.room.lastReadSeq;
      reported = { sent: known, wanted: known, timer: null };
      this.rooms.set(roomId, reported);
    }
    this.store.applyRead(roomId, seq);
    if (seq <= reported.sent || seq <= reported.wanted) return;
    reported.wanted = seq;
    if (reported.timer) return;
    const entry = reported;
    entry.timer = setTimeout(() => {
      entry.timer = null;
      void this.flush(roomId, entry);
    }, READ_DEBOUNCE_MS);
  }

  /** The room is gone. */
  forget(roomId: string): void {
    const reported = this.rooms.get(roomId);
    if (reported?.timer) clearTimeout(reported.timer);
    this.rooms.delete(roomId);
  }

  stop(): void {
    this.stopped = true;
    for (const id of [...this.rooms.keys()]) this.forget(id);
  }

  private async flush(roomId: string, reported: Reported): Promise<void> {
    const seq = reported.wanted;
    if (seq <= reported.sent || this.stopped) return;
    const before = reported.sent;
    reported.sent = seq;
    try {
      const { lastReadSeq } = await this.api.markRead(roomId, seq);
      if (!this.stopped) this.store.applyRead(roomId, lastReadSeq);
    } catch {
      // Try again with the next read (or the next visit).
      if (reported.sent === seq) reported.sent = before;
      reported.wanted = before;
    }
  }
}
