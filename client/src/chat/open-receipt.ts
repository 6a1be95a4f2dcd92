// Opening a member's receipt (PROTOCOL.md §22): a sealed, signed envelope like a
// message, kept by the server outside the message sequence. It must open under the
// room's key for the epoch its header names and verify as signed by the member the
// server says it is from, who must be in the conversation now (a direct room's other
// member; in a group, a member of the verified state of that epoch). Anything else is
// dropped: a receipt only ever adds a mark, so nothing is shown for one that fails.

import type { Room } from '@onionchat/contract';
import {
  fromBase64,
  groupMembersAtEpoch,
  openMessageAsync,
  readMessageHeader,
  readReceipt,
  type Receipt,
} from '@onionchat/protocol';
import type { RoomKeyring } from '../trust/index.js';
import { GROUP_ROOM_KIND, type GroupOpenContext } from './group-open.js';

export interface ReceiptOpenContext extends GroupOpenContext {
  keyring: Pick<RoomKeyring, 'get'>;
}

/** A member's receipt as opened: what it says, and when it was signed (the latest wins). */
export interface OpenedReceipt {
  userId: string;
  receipt: Receipt;
  sentAt: number;
}

/** The receipt, or null when it does not open and verify as `userId`'s for this room. */
export async function openReceipt(
  envelopeText: string,
  userId: string,
  room: Room,
  ctx: ReceiptOpenContext,
): Promise<OpenedReceipt | null> {
  try {
    const envelope = fromBase64(envelopeText);
    const { epoch } = readMessageHeader(envelope);
    const signer = await signerKey(userId, epoch, room, ctx);
    if (!signer) return null;
    const roomKey = await ctx.keyring.get(room, epoch);
    const { header, body } = await openMessageAsync(
      envelope,
      { roomId: room.id, epoch, senderId: userId },
      roomKey,
      signer,
    );
    return { userId, receipt: readReceipt(body), sentAt: header.sentAt };
  } catch {
    return null;
  }
}

async function signerKey(
  userId: string,
  epoch: number,
  room: Room,
  ctx: ReceiptOpenContext,
): Promise<{ signPublicKey: Uint8Array } | null> {
  if (userId === ctx.meId) return ctx.directory.mine();
  if (room.kind === GROUP_ROOM_KIND) {
    const state = await ctx.groups.stateFor(room.id, epoch);
    if (!state || !groupMembersAtEpoch(state, epoch)?.has(userId) || !state.members.has(userId)) return null;
    const signPublicKey = ctx.groups.signKeyOf(room.id, userId);
    return signPublicKey ? { signPublicKey } : null;
  }
  const member = room.members.find((candidate) => candidate.id === userId);
  if (!member) return null;
  await ctx.directory.prepare([member]);
  return ctx.directory.learn(member);
}
