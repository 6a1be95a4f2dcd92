// Opening what the server delivers. A message that fails any check becomes an
// "unverified" item with a short reason: it is never shown as content, and no check
// failure throws out of here. A verified message delivered at the wrong time (its
// signed send time far from the server's, or out of step with its chain) or again
// (against the chain marks of earlier sessions) is shown, flagged, never as new.

import {
  FILE_MESSAGE_TYPE,
  ProtocolError,
  TIMER_MESSAGE_TYPE,
  fromBase64,
  judgeSendTime,
  openMessageAsync,
  readFileMessageBody,
  readMessageAction,
  readMessageTtl,
  readReplyTo,
  readSenderCounter,
  type Identity,
  type MessageHeader,
  type MessageLedger,
  type SenderCounter,
} from '@onionchat/protocol';
import type { Room, ServerMessage } from '@onionchat/contract';
import {
  UntrustedKeyError,
  VerifyError,
  protocolReason,
  type ChainMarks,
  type ChainSendTimes,
  type KeyDirectory,
  type RoomKeyring,
} from '../trust/index.js';
import { sayer } from '../present/phrasebook.js';
import { CONVERSATION_PHRASES } from './conversation-phrases.js';
import { BeforeJoiningError, GROUP_ROOM_KIND, groupSenderKey, type GroupJudge } from './group-open.js';
import type { ChatItem, DeliveryFlag } from './items.js';

const say = sayer(CONVERSATION_PHRASES);

/** Every check a message goes through, for one session. */
export interface OpenContext {
  meId: string;
  identity: Identity;
  directory: KeyDirectory;
  keyring: RoomKeyring;
  ledger: MessageLedger;
  /** Where each sender's chains got to, in earlier sessions too (replays across sessions). */
  marks: Pick<ChainMarks, 'judge' | 'accept'>;
  /** Send times seen per sender chain in this session. */
  sendTimes: ChainSendTimes;
  /** The verified group chains: a group's messages are judged by them, not by the server's member list. */
  groups: GroupJudge;
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
    serverId: message.id,
  };
}

/** The server erased its content: only its seq and sender are left, to be matched with its sender's deletion. */
function erasedItem(message: ServerMessage, meId: string): ChatItem {
  return {
    ...unverified(message, meId, say('conversation.unverified.erased')),
    erased: true,
  };
}

/**
 * Decrypts and checks one message of `room`: the sender must be a member (of a
 * group: by its verified chain, under that epoch and before it ended), the key
 * for its epoch must open, the envelope must open and verify for this room, epoch
 * and sender, and its id must be new to the ledger. Returns an unverified item on
 * any failure; rejects only when a key or a group's chain could not be fetched
 * (network), so the caller can try again later.
 */
export async function openServerMessage(message: ServerMessage, room: Room, ctx: OpenContext): Promise<ChatItem> {
  if (message.roomId !== room.id)
    return unverified(message, ctx.meId, say('conversation.unverified.wrongConversation'));
  // The server keeps the row of an erased message (its seq stays taken) with no envelope.
  if (message.erasedAt !== null) return erasedItem(message, ctx.meId);
  try {
    const senderKeys = await senderKeyOf(message, room, ctx);
    const roomKey = await ctx.keyring.get(room, message.epoch);
    const { header, body } = await openMessageAsync(
      fromBase64(message.envelope),
      { roomId: room.id, epoch: message.epoch, senderId: message.senderId },
      roomKey,
      senderKeys,
    );
    const isText = body.type === 'text' && typeof body.text === 'string';
    const isTimer = body.type === TIMER_MESSAGE_TYPE;
    // Checked when opened already: one of the allowed values (required on a timer).
    const ttl = readMessageTtl(body);
    // Checked when opened already; read again here for the decoded key and digest.
    const file = body.type === FILE_MESSAGE_TYPE ? readFileMessageBody(body) : null;
    const counter = readSenderCounter(body);
    // Checked when opened already (§21): what it does to an earlier message, or what it answers.
    const action = readMessageAction(body);
    const replyTo = readReplyTo(body);
    ctx.ledger.accept(header);
    const mine = message.senderId === ctx.meId;
    const flag = mine ? null : judgeDelivery(message, header, counter, ctx);
    return {
      key: mine ? `id:${header.messageId}` : `seq:${message.seq}`,
      roomId: room.id,
      seq: message.seq,
      senderId: message.senderId,
      mine,
      state: 'sent',
      text: isText ? (body.text as string) : null,
      file: file
        ? { name: file.name, mime: file.mime, size: file.size, fileId: file.fileId, key: file.key, digest: file.digest }
        : null,
      unsupportedType: isText || file || isTimer || action ? null : body.type,
      note: null,
      time: serverTime(message) ?? header.sentAt,
      sentAt: header.sentAt,
      flag,
      messageId: header.messageId,
      counter,
      epoch: message.epoch,
      ttl: isTimer ? null : ttl,
      timer: isTimer ? ttl : null,
      serverId: message.id,
      action,
      replyTo,
    };
  } catch (error) {
    if (error instanceof UntrustedKeyError) return unverified(message, ctx.meId, error.message, error.userId);
    if (error instanceof BeforeJoiningError)
      return { ...unverified(message, ctx.meId, error.message), beforeJoining: true };
    if (error instanceof VerifyError) return unverified(message, ctx.meId, error.message);
    if (error instanceof ProtocolError) return unverified(message, ctx.meId, protocolReason(error));
    throw error;
  }
}

/** The key the sender's signature is checked with: a direct room's member as listed, a group's as its chain holds them. */
async function senderKeyOf(
  message: ServerMessage,
  room: Room,
  ctx: OpenContext,
): Promise<{ signPublicKey: Uint8Array }> {
  if (room.kind === GROUP_ROOM_KIND) return groupSenderKey(message, room, ctx);
  if (message.senderId === ctx.meId) return ctx.directory.mine();
  const sender = room.members.find((member) => member.id === message.senderId);
  if (!sender) throw new VerifyError(say('conversation.unverified.senderNotMember'));
  await ctx.directory.prepare([sender]);
  return ctx.directory.learn(sender);
}

/**
 * Judges a verified message from someone else: its signed send time against the
 * server's and its chain's previous message (judgeSendTime), its counter against the
 * chain marks (judgeAgainstMark). A message that passes moves the marks on.
 */
function judgeDelivery(
  message: ServerMessage,
  header: MessageHeader,
  counter: SenderCounter | null,
  ctx: OpenContext,
): DeliveryFlag | null {
  const { roomId, senderId } = header;
  const timing = judgeTime(message, header, counter, ctx);
  if (!counter) return timing;
  const position = { chain: counter.chain, n: counter.n, seq: message.seq };
  if (ctx.marks.judge(roomId, senderId, position) === 'replayed') return { kind: 'replayed' };
  if (!timing) ctx.marks.accept(roomId, senderId, position);
  return timing;
}

/** 're-timed' when the signed send time is far from the server's or before the chain's previous message. */
function judgeTime(
  message: ServerMessage,
  { roomId, senderId, sentAt }: MessageHeader,
  counter: SenderCounter | null,
  ctx: OpenContext,
): DeliveryFlag | null {
  const previousSentAt = counter ? ctx.sendTimes.previous(roomId, senderId, counter.chain, counter.n) : null;
  if (counter) ctx.sendTimes.note(roomId, senderId, counter.chain, counter.n, sentAt);
  const stored = serverTime(message);
  if (stored === null) return null;
  // A time before 1970 is as far off as it gets: judged as 0.
  const timing = judgeSendTime({ sentAt, serverTime: Math.max(0, stored), previousSentAt });
  return timing.verdict === 're-timed' ? { kind: 're-timed', reason: timing.reason } : null;
}
