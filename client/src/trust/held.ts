// Messages refused only because a contact's key was not trusted at the time (it
// changed and the person had not accepted it yet), kept exactly as the server
// delivered them. Once the person accepts or verifies that key, they go through
// every check again under it: those that pass are shown, and anything forged,
// moved or replayed fails again on its own account. In memory only.

import type { ServerMessage } from '@onionchat/contract';

export class HeldMessages {
  /** Room id → seq → the message and whose key it waits for. */
  private readonly rooms = new Map<string, Map<number, { message: ServerMessage; userId: string }>>();

  hold(message: ServerMessage, userId: string): void {
    let room = this.rooms.get(message.roomId);
    if (!room) {
      room = new Map();
      this.rooms.set(message.roomId, room);
    }
    room.set(message.seq, { message, userId });
  }

  /** A room's messages waiting for keys that are trusted now, in seq order (so the replay check keeps the first). */
  due(roomId: string, trusted: (userId: string) => boolean): ServerMessage[] {
    const room = this.rooms.get(roomId);
    if (!room) return [];
    return [...room.values()]
      .filter((held) => trusted(held.userId))
      .map((held) => held.message)
      .sort((a, b) => a.seq - b.seq);
  }

  /** Checked again (whatever the outcome): no longer waiting. */
  release(roomId: string, seq: number): void {
    const room = this.rooms.get(roomId);
    room?.delete(seq);
    if (room?.size === 0) this.rooms.delete(roomId);
  }

  forgetRoom(roomId: string): void {
    this.rooms.delete(roomId);
  }

  clear(): void {
    this.rooms.clear();
  }
}
