import type { HeldMessage } from './action-rules.js';
import { readRef, type MessageRef } from './message-actions.js';
import { badContent, type MessageBody } from './body-fields.js';

/**
 * Delivered and read receipts (PROTOCOL.md §22). A member's receipt for a room is one
 * envelope sealed and signed like a message (section 9), body
 * { type: 'receipt', delivered, read }: the latest message from someone else that
 * reached this member's devices, and the latest one they read (null: not said; a member
 * who turned read receipts off never says it). The server keeps only each member's
 * latest receipt per room, outside the message sequence.
 */
export const RECEIPT_TYPE = 'receipt';

export interface Receipt {
  delivered: MessageRef | null;
  read: MessageRef | null;
}

/** Throws 'bad-content' unless the body is a receipt with valid refs, at least one, read no later than delivered. */
export function readReceipt(body: MessageBody): Receipt {
  if (body.type !== RECEIPT_TYPE) throw badContent('it is not a receipt');
  const delivered = optionalRef(body.delivered, 'delivered');
  const read = optionalRef(body.read, 'read');
  if (!delivered && !read) throw badContent('a receipt names no message');
  if (read && (!delivered || read.seq > delivered.seq)) {
    throw badContent('a receipt says a message was read that it does not say was delivered');
  }
  return { delivered, read };
}

export function receiptBody(receipt: Receipt): MessageBody {
  const body = {
    type: RECEIPT_TYPE,
    delivered: receipt.delivered && { id: receipt.delivered.id, seq: receipt.delivered.seq },
    read: receipt.read && { id: receipt.read.id, seq: receipt.read.seq },
  };
  readReceipt(body);
  return body;
}

/** Why a receipt's ref counts for nothing: not held (yet), held with another id, or the signer's own message. */
export type ReceiptRefusal = 'waiting' | 'unknown-target' | 'wrong-target' | 'own-message';

/**
 * Judges one ref of a receipt signed by `signerId` against what the reader holds.
 * `complete`: the reader holds the room's whole history up to the ref's seq, so a seq
 * it does not hold does not exist ('unknown-target'); otherwise it is 'waiting'.
 * A receipt may only name someone else's message: its signer's own is 'own-message'.
 * An erased message (id null) is accepted on its seq and sender.
 */
export function judgeReceiptRef(
  ref: MessageRef,
  signerId: string,
  held: readonly HeldMessage[],
  complete: boolean,
): ReceiptRefusal | null {
  const message = held.find((candidate) => candidate.seq === ref.seq);
  if (!message) return complete ? 'unknown-target' : 'waiting';
  if (message.id !== null && message.id !== ref.id) return 'wrong-target';
  if (message.senderId === signerId) return 'own-message';
  return null;
}

function optionalRef(value: unknown, name: string): MessageRef | null {
  if (value === null) return null;
  if (value === undefined) throw badContent(`a receipt has no "${name}" (null when not said)`);
  return readRef(value, name);
}
