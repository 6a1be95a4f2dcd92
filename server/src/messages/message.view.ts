import type { ServerMessage } from '@onionchat/contract';
import { toBase64 } from '@onionchat/protocol';
import type { AppendResult, NewMessage } from './messages.repository.js';

export interface StoredMessage {
  id: string;
  roomId: string;
  seq: bigint;
  senderId: string;
  epoch: number;
  envelope: Uint8Array;
  createdAt: Date;
  disappearsAt: Date | null;
  erasedAt: Date | null;
}

export function messageView(m: StoredMessage): ServerMessage {
  return {
    id: m.id,
    roomId: m.roomId,
    seq: Number(m.seq),
    senderId: m.senderId,
    epoch: m.epoch,
    // An erased message keeps its place; its ciphertext is gone (empty bytes: '').
    envelope: toBase64(m.envelope),
    createdAt: m.createdAt.toISOString(),
    disappearsAt: m.disappearsAt?.toISOString() ?? null,
    erasedAt: m.erasedAt?.toISOString() ?? null,
  };
}

/** A message just stored, from what was sent (its envelope is the sender's canonical base64). */
export function storedView(
  m: Omit<NewMessage, 'envelope'>,
  envelope: string,
  stored: Extract<AppendResult, { kind: 'stored' }>,
): ServerMessage {
  return {
    id: m.id,
    roomId: m.roomId,
    seq: Number(stored.seq),
    senderId: m.senderId,
    epoch: m.epoch,
    envelope,
    createdAt: stored.createdAt.toISOString(),
    disappearsAt: m.disappearsAt?.toISOString() ?? null,
    erasedAt: null,
  };
}

/** The stored message a retried send found. */
export function earlierView(m: Extract<AppendResult, { kind: 'earlier' }>, senderId: string): ServerMessage {
  return {
    id: m.id,
    roomId: m.roomId,
    seq: Number(m.seq),
    senderId,
    epoch: m.epoch,
    envelope: m.envelope,
    createdAt: m.createdAt.toISOString(),
    disappearsAt: m.disappearsAt?.toISOString() ?? null,
    erasedAt: m.erasedAt?.toISOString() ?? null,
  };
}
