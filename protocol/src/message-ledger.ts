import { ProtocolError } from './errors.js';
import type { MessageHeader } from './message.js';

/**
 * Remembers, per room, which (sender, message id) pairs this client has
 * accepted, so a server that re-delivers an old message (for example under
 * a new sequence number) is caught: the signature still verifies, but the
 * id has been seen. Pure in-memory; a client that wants detection across
 * sessions must persist what it accepted.
 */
export class MessageLedger {
  private readonly rooms = new Map<string, Set<string>>();

  /** Records a new message; throws 'replay' if this sender's message id was already accepted in this room. */
  accept(header: MessageHeader): void {
    const key = entryKey(header.senderId, header.messageId);
    let seen = this.rooms.get(header.roomId);
    if (seen === undefined) {
      seen = new Set();
      this.rooms.set(header.roomId, seen);
    }
    if (seen.has(key)) {
      throw new ProtocolError(
        'replay',
        `Message ${header.messageId} from ${header.senderId} was already received in this room (a replay).`,
      );
    }
    seen.add(key);
  }

  has(roomId: string, senderId: string, messageId: string): boolean {
    return this.rooms.get(roomId)?.has(entryKey(senderId, messageId)) ?? false;
  }
}

/** UUIDs contain no spaces, so the pair is unambiguous. */
function entryKey(senderId: string, messageId: string): string {
  return `${senderId} ${messageId}`;
}
