// Read marks: a badge cleared at once, the server told shortly after (debounced),
// and other sessions' reads applied as they are announced. The counts themselves
// are the store's (through the one unread rule).

import type { Api } from '../transport/api.js';
import { decodeRoomRead } from './decode.js';
import { MarkReporter } from './mark-reporter.js';
import type { RoomStore } from './room-store.js';

export const READ_DEBOUNCE_MS = 600;

export class ReadMarks {
  private readonly reporter: MarkReporter;

  constructor(
    api: Pick<Api, 'markRead'>,
    private readonly store: RoomStore,
  ) {
    this.reporter = new MarkReporter({
      delayMs: READ_DEBOUNCE_MS,
      report: async (roomId, seq) => (await api.markRead(roomId, seq)).lastReadSeq,
      applied: (roomId, seq) => store.applyRead(roomId, seq),
    });
  }

  /** room:read: another session (or this one) read up to a seq. */
  onRoomRead(payload: unknown): void {
    const read = decodeRoomRead(payload);
    if (read) this.store.applyRead(read.roomId, read.lastReadSeq);
  }

  /** The person has seen the room up to `seq`: clear its badge now, tell the server shortly. */
  markRead(roomId: string, seq: number): void {
    const conversation = this.store.get(roomId);
    if (!conversation || !Number.isSafeInteger(seq) || seq < 1 || this.reporter.isStopped) return;
    // What the server knew before this session's first report needs no report.
    const known = conversation.room.lastReadSeq;
    this.store.applyRead(roomId, seq);
    this.reporter.want(roomId, seq, () => known);
  }

  /** The room is gone. */
  forget(roomId: string): void {
    this.reporter.forget(roomId);
  }

  stop(): void {
    this.reporter.stop();
  }
}
