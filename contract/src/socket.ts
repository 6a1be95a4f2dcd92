// The live connection: socket.io at SOCKET_PATH on the same origin, and the events
// each side may send, for socket.io's typed generics on both ends.

import { z } from 'zod/mini';
import { serverMessage, type ServerMessage } from './views.js';

export const SOCKET_PATH = '/api/socket';

/** Handshake refusals (connect_error messages) that mean the session is gone. */
export const SESSION_LOST_CODES: readonly string[] = ['not_logged_in', 'session_expired'];

export interface SendMessagePayload {
  roomId: string;
  clientId: string;
  /** base64 of the sealed envelope */
  envelope: string;
  /** See DisappearsAt in answers.ts. */
  disappearsAt?: string | null;
}

export type SendMessageAck =
  | { ok: true; message: ServerMessage; duplicate: boolean }
  | { ok: false; status: number; code: string; message: string };

export interface RoomReadEvent {
  roomId: string;
  lastReadSeq: number;
}

/** A group member's devices received the conversation up to `deliveredSeq` (the server's word). */
export interface RoomDeliveredEvent {
  roomId: string;
  userId: string;
  deliveredSeq: number;
}

/** A member started a new key epoch: fetch its wrapped key, and send with it from now on. */
export interface RoomKeyEvent {
  roomId: string;
  epoch: number;
}

/** A group's members, roles or info changed: fetch its records after the last index verified. */
export interface GroupChangedEvent {
  roomId: string;
  /** The index of the record just filed. */
  index: number;
}

export interface FileReadyEvent {
  fileId: string;
  roomId: string;
}

/** A member's new receipt for a room (PROTOCOL.md §22): sealed and signed, readable by members only. */
export interface ReceiptEvent {
  roomId: string;
  userId: string;
  /** base64 of the sealed receipt */
  envelope: string;
}

export interface ServerToClientEvents {
  'message:new': (message: ServerMessage) => void;
  'friends:changed': (payload: Record<string, never>) => void;
  'room:read': (payload: RoomReadEvent) => void;
  'room:delivered': (payload: RoomDeliveredEvent) => void;
  'room:key': (payload: RoomKeyEvent) => void;
  'file:ready': (payload: FileReadyEvent) => void;
  'group:changed': (payload: GroupChangedEvent) => void;
  'receipt:new': (payload: ReceiptEvent) => void;
}

export interface ClientToServerEvents {
  'message:send': (payload: SendMessagePayload, ack: (answer: SendMessageAck) => void) => void;
}

/** What the client accepts of each server event (the server is untrusted). */
export const events = {
  messageNew: serverMessage,
  roomRead: z.object({ roomId: z.string(), lastReadSeq: z.int().check(z.gte(0), z.lte(Number.MAX_SAFE_INTEGER)) }),
  roomDelivered: z.object({
    roomId: z.string(),
    userId: z.string(),
    deliveredSeq: z.int().check(z.gte(0), z.lte(Number.MAX_SAFE_INTEGER)),
  }),
  roomKey: z.object({ roomId: z.string(), epoch: z.int().check(z.gte(1), z.lte(Number.MAX_SAFE_INTEGER)) }),
  fileReady: z.object({ fileId: z.string(), roomId: z.optional(z.string()) }),
  groupChanged: z.object({ roomId: z.string(), index: z.int().check(z.gte(0), z.lte(0xffff_ffff)) }),
  receiptNew: z.object({ roomId: z.string(), userId: z.string(), envelope: z.string() }),
  sendAck: z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), message: z.unknown(), duplicate: z.optional(z.boolean()) }),
    z.object({
      ok: z.literal(false),
      status: z.optional(z.number()),
      code: z.optional(z.string()),
      message: z.optional(z.string()),
    }),
  ]),
} as const;
