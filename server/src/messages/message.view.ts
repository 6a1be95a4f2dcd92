import type { ServerMessage } from '@onionchat/contract';
import { toBase64 } from '@onionchat/protocol';

export interface StoredMessage {
  id: string;
  roomId: string;
  seq: bigint;
  senderId: string;
  epoch: number;
  envelope: Uint8Array;
  createdAt: Date;
}

export function messageView(m: StoredMessage): ServerMessage {
  return {
    id: m.id,
    roomId: m.roomId,
    seq: Number(m.seq),
    senderId: m.senderId,
    epoch: m.epoch,
    envelope: toBase64(m.envelope),
    createdAt: m.createdAt.toISOString(),
  };
}
