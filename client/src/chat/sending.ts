// Sending: a message is shown at once as pending, sealed (with this session's sender
// counter) as soon as the room key is at hand, and handed to the server in order by
// the pump below, which asks the outbox what is due and tells it how each attempt
// went. The server's acknowledgement files the message under its seq. A group's
// message is sealed under the epoch its verified chain has reached, never the server's.

import {
  MAX_TEXT_CHARS,
  TIMER_MESSAGE_TYPE,
  deleteMessageBody,
  editMessageBody,
  reactionMessageBody,
  readMessageAction,
  newUuid,
  timerMessageBody,
  sealMessageAsync,
  toBase64,
  type Identity,
  type MessageBody,
  type MessageLedger,
  type MessageRef,
} from '@onionchat/protocol';
import type { Room, ServerMessage } from '@onionchat/contract';
import { sayer, sayNumber } from '../present/phrasebook.js';
import type { LiveConnection } from '../transport/realtime.js';
import type { RoomKeyring } from '../trust/index.js';
import type { GroupRooms } from './group-rooms.js';
import { TIMER_CHOICES, currentTimer, disappearsAtFor } from './disappearing.js';
import type { RoomHistory } from './history.js';
import { pendingItem, type ChatItem, type FileMeta } from './items.js';
import type { KeyedQueue } from './keyed-queue.js';
import { newOutboxEntry, type Outbox, type OutboxEntry, type SendOutcome, type Settlement } from './outbox.js';
import type { RoomStore } from './room-store.js';
import { SEND_TIMEOUT_MS, ackOutcome, sealFailure, transportOutcome } from './send-outcome.js';
import { SENDING_PHRASES } from './sending-phrases.js';

const say = sayer(SENDING_PHRASES);

export interface SenderParts {
  meId: string;
  identity: Identity;
  keyring: Pick<RoomKeyring, 'peek' | 'get'>;
  ledger: MessageLedger;
  store: RoomStore;
  queue: KeyedQueue;
  outbox: Outbox;
  live: LiveConnection;
  history: Pick<RoomHistory, 'catchUpNow'>;
  /** Why nothing may be sent to a room now, or null. */
  rules: { sendBlock(room: Room): string | null };
  /** The epoch to seal under (a group's: its verified one, once its key is held). */
  epochs: Pick<GroupRooms, 'currentEpoch' | 'sealEpoch'>;
  /** The server said this session is gone. */
  onSessionLost: () => void;
  /** The server said a room has a newer key epoch than the one a message was sealed under. */
  onStaleEpoch: (roomId: string) => void;
  /** A deletion is stored: the server may now be asked to erase what it names. */
  onDeletionStored?: (roomId: string, erase: Erasure) => void;
}

/** What the server is asked to erase once a deletion is stored: the message and this account's edits of it, and its file. */
export interface Erasure {
  serverIds: string[];
  fileId: string | null;
}

export class MessageSender {
  /** This session's sender counter per room: a fresh chain each time the chat opens. */
  private readonly chains = new Map<string, { chain: string; n: number }>();
  /** Deletions on their way, by client id: what to erase on the server once each is stored. */
  private readonly erasures = new Map<string, Erasure>();
  private running = false;
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly parts: SenderParts) {
    // However the deletion's storing is learned (the answer, or a sync after a lost one).
    parts.store.onConfirmed((roomId, clientId) => this.stored(roomId, clientId));
  }

  /** Messages waiting to go out. */
  get queued(): number {
    return this.parts.outbox.size;
  }

  /** Queues a text message (an answer to `replyTo`, when given). Shown at once as pending; goes out in order when connected. */
  send(roomId: string, input: string, replyTo: ChatItem | null = null): void {
    const text = checkedText(input);
    if (text === null) return;
    const room = this.sendableRoom(roomId);
    const answered = replyTo ? storedRef(replyTo, 'answer') : null;
    const clientId = newUuid();
    const ttl = this.ttlFor(roomId);
    this.parts.store.addPending(
      roomId,
      pendingItem(roomId, this.parts.meId, clientId, { text, file: null, ttl, replyTo: answered }, Date.now()),
    );
    this.enqueue(room, clientId, {
      type: 'text',
      text,
      ...(answered ? { replyTo: answered } : {}),
      ...(ttl ? { ttl } : {}),
    });
  }

  /** Replaces the text of this account's own stored text message, for everyone (a signed edit). */
  edit(roomId: string, target: ChatItem, input: string): void {
    const text = checkedText(input);
    if (text === null) throw new Error(say('sending.edit.empty'));
    if (!target.mine || target.file || target.text === null || target.deleted) {
      throw new Error(say('sending.edit.notOwn'));
    }
    if (text === target.text) return;
    this.sendAction(roomId, editMessageBody(storedRef(target, 'edit'), text));
  }

  /**
   * Deletes this account's own stored message for everyone: a signed deletion every
   * member's client honours, and then the server is asked to erase the original.
   */
  remove(roomId: string, target: ChatItem): void {
    if (!target.mine || target.deleted) throw new Error(say('sending.delete.notOwn'));
    const clientId = this.sendAction(roomId, deleteMessageBody(storedRef(target, 'delete'), target.counter ?? null));
    const edits = (this.parts.store.get(roomId)?.timeline.items ?? []).filter(
      (item) => item.mine && item.action?.kind === 'edit' && item.action.target.seq === target.seq,
    );
    const serverIds = [target, ...edits].map((item) => item.serverId).filter((id): id is string => Boolean(id));
    this.erasures.set(clientId, { serverIds, fileId: target.file?.fileId ?? null });
  }

  /** Reacts to a stored message with one emoji ('' takes this account's reaction back). */
  react(roomId: string, target: ChatItem, emoji: string): void {
    if (target.deleted) throw new Error(say('sending.react.deleted'));
    this.sendAction(roomId, reactionMessageBody(storedRef(target, 'react'), emoji));
  }

  private sendAction(roomId: string, body: MessageBody): string {
    const room = this.sendableRoom(roomId);
    const clientId = newUuid();
    const ttl = this.ttlFor(roomId);
    const action = readMessageAction(body);
    this.parts.store.addPending(
      roomId,
      pendingItem(roomId, this.parts.meId, clientId, { text: null, file: null, ttl, action }, Date.now()),
    );
    this.enqueue(room, clientId, { ...body, ...(ttl ? { ttl } : {}) });
    return clientId;
  }

  /**
   * Sets the conversation's disappearing timer (seconds, 0: off) with a signed timer
   * message everyone in it sees. It carries no ttl of its own and the server keeps it:
   * it is how readers, later ones too, know the timer.
   */
  setTimer(roomId: string, seconds: number): void {
    if (!TIMER_CHOICES.includes(seconds)) throw new Error(say('sending.timer.notOffered'));
    const room = this.sendableRoom(roomId);
    if (this.ttlFor(roomId) === seconds) return;
    const clientId = newUuid();
    const item = pendingItem(roomId, this.parts.meId, clientId, { text: null, file: null, timer: seconds }, Date.now());
    this.parts.store.addPending(roomId, item);
    this.enqueue(room, clientId, timerMessageBody(seconds));
  }

  /** The conversation's timer now (s, null: off): what a new message carries as its own ttl. */
  ttlFor(roomId: string): number | null {
    const items = this.parts.store.get(roomId)?.timeline.items ?? [];
    return currentTimer(items) || null;
  }

  /** The room to send to, or a sentence why there is none. */
  sendableRoom(roomId: string): Room {
    const room = this.parts.store.get(roomId)?.room;
    if (!room) throw new Error(say('sending.compose.roomGone'));
    const blocked = this.parts.rules.sendBlock(room);
    if (blocked) throw new Error(blocked);
    return room;
  }

  /** A file message whose upload finished: its card is pending already; the message goes in line. */
  sendFile(roomId: string, clientId: string, body: MessageBody, file: FileMeta): void {
    const room = this.parts.store.get(roomId)?.room;
    if (!room) return;
    this.parts.store.updatePending(roomId, clientId, { file });
    this.enqueue(room, clientId, body);
  }

  /** A failed message goes back in line, same id and envelope. */
  retry(roomId: string, clientId: string): void {
    if (!this.parts.store.has(roomId) || !this.parts.outbox.retry(clientId)) return;
    this.parts.store.requeuePending(roomId, clientId, { state: 'pending', note: null, time: Date.now() });
    this.kick();
  }

  /** Sending may have become possible (connected, a timer fired, something queued). */
  kick(): void {
    if (this.stopped || this.running) return;
    void this.pump();
  }

  /** One of this client's sends is stored: a deletion may now have the server erase what it names. */
  private stored(roomId: string, clientId: string): void {
    const erasure = this.erasures.get(clientId);
    if (!erasure) return;
    this.erasures.delete(clientId);
    this.parts.onDeletionStored?.(roomId, erasure);
  }

  stop(): void {
    this.stopped = true;
    this.erasures.clear();
    if (this.timer) clearTimeout(this.timer);
    this.parts.outbox.clear();
  }

  private enqueue(room: Room, clientId: string, body: MessageBody): void {
    const entry = newOutboxEntry(room.id, clientId, body);
    // Stamped right away when the key is at hand (the signed time is when it was
    // written, the chain in the order written); sealed by the pump, one at a time.
    if (this.parts.keyring.peek(room.id, this.parts.epochs.currentEpoch(room))) this.stamp(entry);
    this.parts.outbox.add(entry);
    this.kick();
  }

  private async pump(): Promise<void> {
    this.running = true;
    const { outbox, live } = this.parts;
    try {
      while (!this.stopped && live.connected) {
        const due = outbox.next(Date.now());
        if (due.kind === 'idle') return;
        if (due.kind === 'wait') {
          this.wakeIn(due.ms);
          return;
        }
        const entry = due.entry;
        let outcome: SendOutcome | undefined;
        try {
          await this.seal(entry);
          // Its time passed while it waited: it has disappeared already, unsent.
          if (expiredUnsent(entry, Date.now())) outcome = { kind: 'disappeared' };
        } catch (error) {
          outcome = sealFailure(error);
        }
        if (!outcome) {
          try {
            const payload = {
              roomId: entry.roomId,
              clientId: entry.clientId,
              envelope: entry.envelope!,
              disappearsAt: disappearsAtOf(entry),
            };
            outcome = ackOutcome(await live.sendMessage(payload, SEND_TIMEOUT_MS), entry.roomId);
          } catch (error) {
            outcome = transportOutcome(error);
          }
        }
        if (this.stopped) return;
        if ('sessionLost' in outcome && outcome.sessionLost) this.parts.onSessionLost();
        if (outcome.kind === 'retry' && outcome.reseal) {
          entry.envelope = null;
          this.parts.onStaleEpoch(entry.roomId);
        }
        this.settled(entry, outbox.settle(entry, outcome, Date.now()));
      }
    } finally {
      this.running = false;
    }
  }

  private settled(entry: OutboxEntry, settlement: Settlement): void {
    const { store } = this.parts;
    switch (settlement.kind) {
      case 'sent':
        void this.fileSent(entry, settlement.message);
        return;
      case 'pending':
        store.updatePending(entry.roomId, entry.clientId, { state: 'pending', note: settlement.note });
        return;
      case 'failed':
        store.updatePending(entry.roomId, entry.clientId, { state: 'failed', note: settlement.note });
        return;
      case 'disappeared':
        store.removePending(entry.roomId, entry.clientId);
        return;
      case 'gone':
        return;
    }
  }

  private wakeIn(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.kick();
    }, ms);
  }

  /** The send time and chain position a message keeps, however often it is sealed. */
  private stamp(entry: OutboxEntry): { sentAt: number; counter: { chain: string; n: number } } {
    if (entry.sentAt === null || entry.counter === null) {
      entry.sentAt ??= Date.now();
      entry.counter ??= this.nextCounter(entry.roomId);
      // Shown, like everyone's messages, at the time it will be signed with; the counter names its place if it is deleted.
      this.parts.store.updatePending(entry.roomId, entry.clientId, { sentAt: entry.sentAt, counter: entry.counter });
    }
    return { sentAt: entry.sentAt, counter: entry.counter };
  }

  private async sealWith(entry: OutboxEntry, epoch: number, roomKey: Uint8Array): Promise<void> {
    // Sealed again under a newer epoch: the same message, so the same counter and time.
    const { sentAt, counter } = this.stamp(entry);
    const envelope = await sealMessageAsync(
      { roomId: entry.roomId, epoch, senderId: this.parts.meId, messageId: entry.clientId, sentAt },
      { ...entry.body, chain: counter.chain, n: counter.n },
      roomKey,
      this.parts.identity,
    );
    entry.envelope = toBase64(envelope);
    entry.epoch = epoch;
  }

  private nextCounter(roomId: string): { chain: string; n: number } {
    let chain = this.chains.get(roomId);
    if (!chain) {
      chain = { chain: newUuid(), n: 0 };
      this.chains.set(roomId, chain);
    }
    chain.n += 1;
    return { chain: chain.chain, n: chain.n };
  }

  /**
   * Checked before every attempt, sealed or not: a message written (or a file uploaded)
   * before a contact's key changed must not go out until the person has reviewed it.
   */
  private async seal(entry: OutboxEntry): Promise<void> {
    const room = this.parts.store.get(entry.roomId)?.room;
    if (!room) throw new Error(say('sending.compose.roomGone'));
    const blocked = this.parts.rules.sendBlock(room);
    if (blocked) throw new Error(blocked);
    if (entry.envelope) return;
    const epoch = await this.parts.epochs.sealEpoch(room);
    const key = await this.parts.keyring.get(room, epoch);
    if (!entry.envelope) await this.sealWith(entry, epoch, key);
  }

  /** The server stored our message as `message.seq`: file it there (in the room's order). */
  private async fileSent(outgoing: OutboxEntry, message: ServerMessage): Promise<void> {
    const { store, queue, ledger, history } = this.parts;
    const roomId = outgoing.roomId;
    await queue.run(roomId, async () => {
      const conversation = store.get(roomId);
      if (!conversation) return;
      if (!conversation.timeline.has(message.seq)) {
        try {
          ledger.accept({
            roomId,
            epoch: outgoing.epoch ?? conversation.room.epoch,
            senderId: this.parts.meId,
            messageId: outgoing.clientId,
            sentAt: outgoing.sentAt ?? Date.now(),
          });
        } catch {
          // Already in the ledger: it was filed under another seq. Keep the first.
        }
      }
      // Already filed (it came over the socket first): this drops what is pending.
      const time = Date.parse(message.createdAt);
      store.confirmSent(
        roomId,
        outgoing.clientId,
        message.seq,
        Number.isFinite(time) ? time : Date.now(),
        message.epoch,
        message.id,
      );
      if (conversation.loaded && message.seq > conversation.timeline.syncedUpTo) {
        // Others wrote in between and we haven't seen it yet (the next sync will, if this fails).
        await history.catchUpNow(roomId).catch(() => undefined);
      }
    });
  }
}

/** The trimmed text to send, null when there is none; throws past the limit. */
function checkedText(input: string): string | null {
  const text = input.trim();
  if (text.length === 0) return null;
  if (text.length > MAX_TEXT_CHARS) {
    throw new Error(say('sending.compose.tooLong', { max: sayNumber(MAX_TEXT_CHARS) }));
  }
  return text;
}

/** How an action names a message: only one the server has stored (and this client verified) can be named. */
function storedRef(item: ChatItem, action: 'answer' | 'edit' | 'delete' | 'react'): MessageRef {
  if (item.seq === null || item.messageId === null || item.state !== 'sent') {
    throw new Error(say(`sending.unsent.${action}`));
  }
  return { id: item.messageId, seq: item.seq };
}

/** The message's own ttl (s), null for none or a timer message (whose ttl is the setting). */
function ttlOf(entry: OutboxEntry): number | null {
  const { ttl, type } = entry.body;
  return type !== TIMER_MESSAGE_TYPE && typeof ttl === 'number' && ttl > 0 ? ttl : null;
}

/** When the server is to delete it: its signed send time plus its ttl (PROTOCOL.md §20). */
function disappearsAtOf(entry: OutboxEntry): string | null {
  return entry.sentAt === null ? null : disappearsAtFor(entry.sentAt, ttlOf(entry));
}

function expiredUnsent(entry: OutboxEntry, now: number): boolean {
  const ttl = ttlOf(entry);
  return ttl !== null && entry.sentAt !== null && entry.sentAt + ttl * 1000 <= now;
}
