// Messages: opening what the server delivers, and keeping each room's messages in
// order. A message that fails any check becomes an "unverified" item with a short
// reason: it is never shown as content, and it never throws out of here.

import {
  FILE_MESSAGE_TYPE,
  MessageLedger,
  ProtocolError,
  fromBase64,
  openMessage,
  readFileMessageBody,
  readSenderCounter,
  type Identity,
  type SenderCounter,
} from '@onionchat/protocol';
import type { Room, ServerMessage } from './api';
import { KeyDirectory, RoomKeyring, UntrustedKeyError, VerifyError, protocolReason } from './keys';

export type ItemState = 'pending' | 'sent' | 'failed' | 'unverified';

/** A file message (or this client's file on its way up: no id, key or digest yet). */
export interface FileMeta {
  /** Safe to display (the protocol replaced separators, control and bidirectional characters). */
  name: string;
  mime: string;
  /** Plaintext bytes. */
  size: number;
  fileId: string | null;
  key: Uint8Array | null;
  /** Of the ciphertext, as the sender computed it. */
  digest: Uint8Array | null;
}

export interface ChatItem {
  /** Stable across state changes (React key): the message id for this client's sends, else the seq. */
  key: string;
  roomId: string;
  /** Server sequence number; null until the server has stored it. */
  seq: number | null;
  senderId: string;
  mine: boolean;
  state: ItemState;
  /** The text of a verified text message (or of this client's own send). */
  text: string | null;
  /** A verified file message (or this client's own file). */
  file: FileMeta | null;
  /** A verified message of a type this client can't show yet. */
  unsupportedType: string | null;
  /** Unverified: why. Pending or failed: the latest problem, if any. */
  note: string | null;
  /** When the server stored it (ms); for a send not yet stored, when it was written. */
  time: number;
  /** The sender's message id, when known (verified, or our own). */
  messageId: string | null;
  /** Where a verified message stands in its sender's sequence (null: none, or not verified). */
  counter?: SenderCounter | null;
  /** Unverified only because this user's key is not trusted now: checked again once it is accepted. */
  untrustedKey?: string | null;
}

/** Every check a message goes through, for one session. */
export interface OpenContext {
  meId: string;
  identity: Identity;
  directory: KeyDirectory;
  keyring: RoomKeyring;
  ledger: MessageLedger;
}

/** A message the server delivered is usable only if its metadata is at least well formed. */
export function isServerMessage(value: unknown): value is ServerMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return (
    typeof m.roomId === 'string' &&
    typeof m.senderId === 'string' &&
    typeof m.envelope === 'string' &&
    typeof m.seq === 'number' &&
    Number.isSafeInteger(m.seq) &&
    m.seq >= 1 &&
    typeof m.epoch === 'number'
  );
}

function serverTime(message: ServerMessage): number | null {
  const time = Date.parse(message.createdAt);
  return Number.isFinite(time) ? time : null;
}

function unverified(
  message: ServerMessage,
  meId: string,
  reason: string,
  untrustedKey: string | null = null,
): ChatItem {
  return {
    key: `seq:${message.seq}`,
    roomId: message.roomId,
    seq: message.seq,
    senderId: message.senderId,
    mine: message.senderId === meId,
    state: 'unverified',
    text: null,
    file: null,
    unsupportedType: null,
    note: reason,
    time: serverTime(message) ?? Date.now(),
    messageId: null,
    untrustedKey,
  };
}

/**
 * Decrypts and checks one message of `room`: the sender must be a member, the key
 * for its epoch must open, the envelope must open and verify for this room, epoch
 * and sender, and its id must be new to the ledger. Returns an unverified item on
 * any failure; rejects only when a key could not be fetched (network), so the
 * caller can try again later.
 */
export async function openServerMessage(message: ServerMessage, room: Room, ctx: OpenContext): Promise<ChatItem> {
  if (message.roomId !== room.id) return unverified(message, ctx.meId, 'it was delivered to the wrong conversation');
  if (!Number.isSafeInteger(message.epoch) || message.epoch < 1) {
    return unverified(message, ctx.meId, 'it is malformed');
  }
  try {
    let senderKeys;
    if (message.senderId === ctx.meId) {
      senderKeys = ctx.directory.mine();
    } else {
      const sender = room.members.find((member) => member.id === message.senderId);
      if (!sender) throw new VerifyError('its sender is not in this conversation');
      senderKeys = ctx.directory.learn(sender);
    }
    const roomKey = await ctx.keyring.get(room, message.epoch);
    const { header, body } = openMessage(
      fromBase64(message.envelope),
      { roomId: room.id, epoch: message.epoch, senderId: message.senderId },
      roomKey,
      senderKeys,
    );
    const isText = body.type === 'text' && typeof body.text === 'string';
    // Checked when opened already; read again here for the decoded key and digest.
    const file = body.type === FILE_MESSAGE_TYPE ? readFileMessageBody(body) : null;
    ctx.ledger.accept(header);
    return {
      key: message.senderId === ctx.meId ? `id:${header.messageId}` : `seq:${message.seq}`,
      roomId: room.id,
      seq: message.seq,
      senderId: message.senderId,
      mine: message.senderId === ctx.meId,
      state: 'sent',
      text: isText ? (body.text as string) : null,
      file: file
        ? {
            name: file.name,
            mime: file.mime,
            size: file.size,
            fileId: file.fileId,
            key: file.key,
            digest: file.digest,
          }
        : null,
      unsupportedType: isText || file ? null : body.type,
      note: null,
      time: serverTime(message) ?? header.sentAt,
      messageId: header.messageId,
      counter: readSenderCounter(body),
    };
  } catch (error) {
    if (error instanceof UntrustedKeyError) return unverified(message, ctx.meId, error.message, error.userId);
    if (error instanceof VerifyError) return unverified(message, ctx.meId, error.message);
    if (error instanceof ProtocolError) return unverified(message, ctx.meId, protocolReason(error));
    throw error;
  }
}

/**
 * One room's messages: stored ones sorted by seq (deduplicated by seq), then this
 * client's sends that the server has not stored yet, in the order they were written.
 * `items` is a new array after every change (for React); items are never mutated.
 */
export class Timeline {
  private confirmed: ChatItem[] = [];
  private readonly seqs = new Set<number>();
  private pending: ChatItem[] = [];
  private cache: readonly ChatItem[] | null = [];
  /** Every seq from the lowest held up to this one is held (seqs have no gaps on the server). */
  private contiguous = 0;

  get items(): readonly ChatItem[] {
    if (!this.cache) this.cache = [...this.confirmed, ...this.pending];
    return this.cache;
  }

  get size(): number {
    return this.confirmed.length;
  }

  has(seq: number): boolean {
    return this.seqs.has(seq);
  }

  /** The lowest seq held, or null. */
  get lowest(): number | null {
    return this.confirmed[0]?.seq ?? null;
  }

  /** The highest seq held, or 0. */
  get highest(): number {
    return this.confirmed[this.confirmed.length - 1]?.seq ?? 0;
  }

  /** Where a catch-up has to start: after the last seq with nothing missing below it. */
  get syncedUpTo(): number {
    return this.contiguous;
  }

  /**
   * Where this timeline starts: everything up to `seq` is either held or older
   * history (loaded on demand). Set once, by the first load of the latest messages.
   */
  start(seq: number): void {
    if (seq > this.contiguous) this.contiguous = seq;
    while (this.seqs.has(this.contiguous + 1)) this.contiguous += 1;
  }

  insert(item: ChatItem): void {
    const seq = item.seq;
    if (seq === null || this.seqs.has(seq)) return;
    let index = this.confirmed.length;
    while (index > 0 && (this.confirmed[index - 1]!.seq as number) > seq) index -= 1;
    this.confirmed.splice(index, 0, item);
    this.seqs.add(seq);
    while (this.seqs.has(this.contiguous + 1)) this.contiguous += 1;
    this.cache = null;
  }

  addPending(item: ChatItem): void {
    this.pending.push(item);
    this.cache = null;
  }

  findPending(messageId: string): ChatItem | null {
    return this.pending.find((item) => item.messageId === messageId) ?? null;
  }

  updatePending(messageId: string, patch: Partial<ChatItem>): void {
    this.pending = this.pending.map((item) => (item.messageId === messageId ? { ...item, ...patch } : item));
    this.cache = null;
  }

  /** A send that will never go out (a file upload cancelled before its message). */
  removePending(messageId: string): void {
    const before = this.pending.length;
    this.pending = this.pending.filter((item) => item.messageId !== messageId);
    if (this.pending.length !== before) this.cache = null;
  }

  /** Moves a send to the end of the not-yet-stored ones (a manual retry goes out after the rest). */
  requeuePending(messageId: string, patch: Partial<ChatItem>): void {
    const item = this.findPending(messageId);
    if (!item) return;
    this.pending = [...this.pending.filter((other) => other !== item), { ...item, ...patch }];
    this.cache = null;
  }

  /** A stored message checked again (its sender's key was accepted): it takes the old one's place. */
  replace(item: ChatItem): void {
    const index = this.confirmed.findIndex((other) => other.seq === item.seq);
    if (index < 0) return;
    const confirmed = [...this.confirmed];
    confirmed[index] = item;
    this.confirmed = confirmed;
    this.cache = null;
  }

  /** The server stored this client's send as `seq`: it joins the stored messages. */
  confirmPending(messageId: string, seq: number, time: number): void {
    const item = this.findPending(messageId);
    if (!item) return;
    this.pending = this.pending.filter((other) => other !== item);
    this.cache = null;
    this.insert({ ...item, seq, time, state: 'sent', note: null });
  }
}

/** Runs `work` after everything queued before it for the same key: one room's messages are handled in order. */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }
}

/** Lets the page breathe between expensive steps (signature checks are slow without a JIT). */
export function yieldToBrowser(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
