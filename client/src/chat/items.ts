// What a conversation shows: one item per message (stored, or this client's own on
// its way), and in a group one per membership change. Plain data, shared by every part
// of the chat; it imports nothing of them.

import type { MessageAction, MessageRef, SendTimeReason, SenderCounter } from '@onionchat/protocol';

/** 'notice': not a message but a group's verified membership change ("Alice added Carol"), its sentence in `text`. */
export type ItemState = 'pending' | 'sent' | 'failed' | 'unverified' | 'notice';

/**
 * A verified message the server delivered at the wrong time: long after (or before)
 * its signed send time, out of step with its sender's earlier messages ('re-timed'),
 * or again, contradicting what an earlier session accepted ('replayed').
 */
export type DeliveryFlag = { kind: 're-timed'; reason: SendTimeReason } | { kind: 'replayed' };

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
  /** The send time its sender signed (ms, the sender's clock); null or absent when not verified. */
  sentAt?: number | null;
  /** Set when the server delivered it at the wrong time or again: shown with a warning, never as new. */
  flag?: DeliveryFlag | null;
  /** The sender's message id, when known (verified, or our own). */
  messageId: string | null;
  /** Where a verified message stands in its sender's sequence (null: none, or not verified). */
  counter?: SenderCounter | null;
  /** Unverified because it was sealed under a group key from before this account joined (no attack). */
  beforeJoining?: boolean;
  /** Unverified only because this user's key is not trusted now: checked again once it is accepted. */
  untrustedKey?: string | null;
  /** The key epoch a verified message was sealed under (a group's messages are judged again when a later change ends it). */
  epoch?: number;
  /** This account's stored message in a group: how many of the members it was sealed for it reached (the server's word). */
  deliveredTo?: DeliveryCount | null;
  /** The message's own disappearing time (s) from its signed body (or this client's send), null or absent: none. */
  ttl?: number | null;
  /** A message that sets the conversation's disappearing timer: its value (s, 0: off). Shown as a notice. */
  timer?: number | null;
  /** When it disappears from every reader (ms): its own ttl or the timer then in effect, the shorter; null: kept. */
  expiresAt?: number | null;
  /** The server's id for a stored message (what erasing it on the server names). */
  serverId?: string | null;
  /** An edit, deletion or reaction: not shown itself, it changes its target (PROTOCOL.md §21). */
  action?: MessageAction | null;
  /** The message a text answers, as its signed body names it. */
  replyTo?: MessageRef | null;
  /** The server holds no content for it any more (erased): only its seq and sender are known. */
  erased?: boolean;
  /** Deleted by its sender: its content is gone from this client too. */
  deleted?: boolean;
  /** The signed send time of the edit whose text it shows, when edited. */
  editedAt?: number | null;
  /** The reactions it shows, by emoji in first-reacted order. */
  reactions?: readonly ShownReaction[];
  /** What a reply shows of the message it answers (never the reply's own words about it). */
  reply?: ReplyPreview | null;
  /** This account's stored message: how many of the others have it and have read it, by their signed receipts. */
  receipts?: ReceiptCount | null;
}

/** Of `of` other members, how many said (signed) they have a message, and how many read it. */
export interface ReceiptCount {
  delivered: number;
  read: number;
  of: number;
}

export interface ShownReaction {
  emoji: string;
  userIds: readonly string[];
  /** This account's own reaction is among them. */
  mine: boolean;
}

/** The answered message as held: 'missing' when it is not (older history, or the server withheld it). */
export interface ReplyPreview {
  ref: MessageRef;
  /** The answered message's item key, when held (what the view finds its row by). */
  key: string | null;
  state: 'shown' | 'deleted' | 'missing';
  senderId: string | null;
  text: string | null;
  fileName: string | null;
}

/** "Delivered to `count` of `of`". */
export interface DeliveryCount {
  count: number;
  of: number;
}

/** This client's own message, shown at once while it is on its way. */
export function pendingItem(
  roomId: string,
  senderId: string,
  clientId: string,
  content: {
    text: string | null;
    file: FileMeta | null;
    ttl?: number | null;
    timer?: number | null;
    action?: MessageAction | null;
    replyTo?: MessageRef | null;
  },
  time: number,
): ChatItem {
  return {
    ttl: content.ttl ?? null,
    timer: content.timer ?? null,
    action: content.action ?? null,
    replyTo: content.replyTo ?? null,
    key: `id:${clientId}`,
    roomId,
    seq: null,
    senderId,
    mine: true,
    state: 'pending',
    text: content.text,
    file: content.file,
    unsupportedType: null,
    note: null,
    time,
    messageId: clientId,
  };
}

/**
 * Counts as new (unread, announced): someone else's message that was not delivered
 * suspiciously. An edit, deletion or reaction changes what is there; it is not new.
 */
export function countsAsNew(item: Pick<ChatItem, 'mine' | 'flag' | 'action'>): boolean {
  return !item.mine && !item.flag && !item.action;
}

/** A stored message refused after all (a group change ended its key before it was filed): shown as unverified, with why. */
export function refusedItem(item: ChatItem, reason: string): ChatItem {
  return {
    ...item,
    key: `seq:${item.seq}`,
    state: 'unverified',
    text: null,
    file: null,
    unsupportedType: null,
    note: reason,
    sentAt: null,
    flag: null,
    messageId: null,
    counter: null,
    untrustedKey: null,
    epoch: undefined,
    ttl: null,
    timer: null,
    action: null,
    replyTo: null,
  };
}
