// What the server sends is untrusted: every list is decoded item by item with the
// contract's schemas (one bad item does not hide the rest), every socket payload
// as a whole. Anything that does not fit is dropped.

import { events, room as roomSchema, serverMessage, type Room, type ServerMessage } from '@onionchat/contract';

export function decodeRooms(items: readonly unknown[]): Room[] {
  const rooms: Room[] = [];
  for (const item of items) {
    const parsed = roomSchema.safeParse(item);
    if (parsed.success) rooms.push(parsed.data);
  }
  return rooms;
}

/** A page of messages: only well-formed ones of `roomId`. */
export function decodeMessages(items: readonly unknown[], roomId: string): ServerMessage[] {
  const messages: ServerMessage[] = [];
  for (const item of items) {
    const parsed = serverMessage.safeParse(item);
    if (parsed.success && parsed.data.roomId === roomId) messages.push(parsed.data);
  }
  return messages;
}

export function decodeMessageNew(payload: unknown): ServerMessage | null {
  const parsed = events.messageNew.safeParse(payload);
  return parsed.success ? parsed.data : null;
}

export function decodeRoomRead(payload: unknown): { roomId: string; lastReadSeq: number } | null {
  const parsed = events.roomRead.safeParse(payload);
  return parsed.success ? parsed.data : null;
}

/** room:delivered: a group member's devices received the conversation up to a seq. */
export function decodeRoomDelivered(payload: unknown): { roomId: string; userId: string; deliveredSeq: number } | null {
  const parsed = events.roomDelivered.safeParse(payload);
  return parsed.success ? parsed.data : null;
}

/** group:changed: record `index` of a group was filed. */
export function decodeGroupChanged(payload: unknown): { roomId: string; index: number } | null {
  const parsed = events.groupChanged.safeParse(payload);
  return parsed.success ? parsed.data : null;
}

export function decodeFileReady(payload: unknown): { fileId: string; roomId?: string | undefined } | null {
  const parsed = events.fileReady.safeParse(payload);
  return parsed.success ? parsed.data : null;
}

/** A send acknowledgement: stored (with the message, when it is well formed), or refused. */
export type DecodedAck =
  | { ok: true; message: ServerMessage | null }
  | { ok: false; status: number; code: string; message: string | null }
  | null;

export function decodeSendAck(payload: unknown): DecodedAck {
  const parsed = events.sendAck.safeParse(payload);
  if (!parsed.success) return null;
  const ack = parsed.data;
  if (ack.ok) {
    const message = serverMessage.safeParse(ack.message);
    return { ok: true, message: message.success ? message.data : null };
  }
  return {
    ok: false,
    status: ack.status ?? 0,
    code: ack.code ?? '',
    message: ack.message && ack.message.length > 0 ? ack.message : null,
  };
}

/** receipt:new: a member's new sealed receipt for a room. */
export function decodeReceiptNew(payload: unknown): { roomId: string; userId: string; envelope: string } | null {
  const parsed = events.receiptNew.safeParse(payload);
  return parsed.success ? parsed.data : null;
}
