// Delivered marks in groups: this device tells the server, shortly after (debounced),
// how far it has received each group's conversation, and applies the marks the server
// announces for every member, so a sender sees "delivered to 2 of 3".

import type { Api } from '../transport/api.js';
import { decodeRoomDelivered } from './decode.js';
import { MarkReporter } from './mark-reporter.js';
import type { RoomStore } from './room-store.js';

export const DELIVERED_DEBOUNCE_MS = 1_000;

export class DeliveredMarks {
  private readonly reporter: MarkReporter;

  constructor(
    api: Pick<Api, 'markDelivered'>,
    private readonly store: RoomStore,
    private readonly meId: string,
  ) {
    this.reporter = new MarkReporter({
      delayMs: DELIVERED_DEBOUNCE_MS,
      report: async (roomId, seq) => (await api.markDelivered(roomId, seq)).deliveredSeq,
      applied: (roomId, seq) => store.applyDelivered(roomId, meId, seq),
    });
  }

  /** room:delivered: a member's devices received a group's conversation up to a seq. */
  onRoomDelivered(payload: unknown): void {
    const mark = decodeRoomDelivered(payload);
    if (mark) this.store.applyDelivered(mark.roomId, mark.userId, mark.deliveredSeq);
  }

  /** A message reached this device: the server hears of it shortly (in groups, where it keeps marks). */
  received(roomId: string, seq: number): void {
    const marks = this.store.get(roomId)?.room.delivered;
    if (!marks || !Number.isSafeInteger(seq) || seq < 1) return;
    this.reporter.want(roomId, seq, () => marks.find((mark) => mark.userId === this.meId)?.seq ?? 0);
  }

  forget(roomId: string): void {
    this.reporter.forget(roomId);
  }

  stop(): void {
    this.reporter.stop();
  }
}
