// Sending: a message is shown at once as pending, sealed (with this session's sender
// counter) as soon as the room key is at hand, and goes out through the outbox in
// order; the server's acknowledgement files it under its seq.

import { MAX_TEXT_CHARS, newUuid, sealMessage, toBase64 } from '@onionchat/protocol';
import type { ServerMessage } from '../api';
import { VerifyError } from '../keys';
import { newOutboxEntry, type Outbox, type OutboxEntry } from '../outbox';
import type { ChatCore } from './core';
import type { RoomHistory } from './history';
import type { ChatTrust } from './trust';

export class MessageSender {
  /** This session's sender counter per room: a fresh chain each time the chat opens. */
  private readonly chains = new Map<string, { chain: string; n: number }>();

  constructor(
    private readonly core: ChatCore,
    private readonly outbox: Outbox,
    private readonly history: RoomHistory,
    private readonly trust: ChatTrust,
    private readonly scheduleSync: () => void,
  ) {}

  /** Queues a text message. Shown at once as pending; goes out in order when connected. */
  send(roomId: string, input: string): void {
    const text = input.trim();
    if (text.length === 0) return;
    if (text.length > MAX_TEXT_CHARS) {
      throw new Error(`A message can have at most ${MAX_TEXT_CHARS.toLocaleString('en-US')} characters.`);
    }
    const entry = this.core.entries.get(roomId);
    if (!entry) throw new Error('This conversation does not exist any more.');
    const blocked = this.trust.sendBlock(entry.room);
    if (blocked) throw new Error(blocked);
    const clientId = newUuid();
    const now = Date.now();
    const outgoing = newOutboxEntry(roomId, clientId, { type: 'text', text });
    // Seal right away when the key is at hand (the signed time is when it was written).
    const key = this.core.keyring.peek(roomId, entry.room.epoch);
    if (key) this.sealWith(outgoing, entry.room.epoch, key);
    entry.timeline.addPending({
      key: `id:${clientId}`,
      roomId,
      seq: null,
      senderId: this.core.me.id,
      mine: true,
      state: 'pending',
      text,
      file: null,
      unsupportedType: null,
      note: null,
      time: now,
      messageId: clientId,
    });
    this.outbox.add(outgoing);
    this.core.changed(entry);
  }

  /** A failed message goes back in line, same id and envelope. */
  retry(roomId: string, clientId: string): void {
    const entry = this.core.entries.get(roomId);
    if (!entry) return;
    if (!this.outbox.retry(clientId)) return;
    entry.timeline.requeuePending(clientId, { state: 'pending', note: null, time: Date.now() });
    this.core.changed(entry);
  }

  sealWith(entry: OutboxEntry, epoch: number, roomKey: Uint8Array): void {
    const sentAt = Date.now();
    let counter = this.chains.get(entry.roomId);
    if (!counter) {
      counter = { chain: newUuid(), n: 0 };
      this.chains.set(entry.roomId, counter);
    }
    const envelope = sealMessage(
      { roomId: entry.roomId, epoch, senderId: this.core.me.id, messageId: entry.clientId, sentAt },
      { ...entry.body, chain: counter.chain, n: counter.n + 1 },
      roomKey,
      this.core.identity,
    );
    counter.n += 1;
    entry.envelope = toBase64(envelope);
    entry.epoch = epoch;
    entry.sentAt = sentAt;
  }

  async seal(entry: OutboxEntry): Promise<void> {
    if (entry.envelope) return;
    const room = this.core.entries.get(entry.roomId)?.room;
    if (!room) throw new VerifyError('This conversation does not exist any more.');
    const blocked = this.trust.sendBlock(room);
    if (blocked) throw new VerifyError(blocked);
    const key = await this.core.keyring.get(room, room.epoch);
    this.sealWith(entry, room.epoch, key);
  }

  async onSent(outgoing: OutboxEntry, message: ServerMessage): Promise<void> {
    await this.core.queue.run(outgoing.roomId, async () => {
      const entry = this.core.entries.get(outgoing.roomId);
      if (!entry) return;
      if (entry.timeline.has(message.seq)) {
        // Already filed (it came over the socket first): nothing pending should remain.
        entry.timeline.confirmPending(outgoing.clientId, message.seq, Date.now());
        this.core.changed(entry);
        return;
      }
      try {
        this.core.ledger.accept({
          roomId: outgoing.roomId,
          epoch: outgoing.epoch ?? entry.room.epoch,
          senderId: this.core.me.id,
          messageId: outgoing.clientId,
          sentAt: outgoing.sentAt ?? Date.now(),
        });
      } catch {
        // Already in the ledger: it was filed under another seq. Keep the first.
      }
      const time = Date.parse(message.createdAt);
      entry.timeline.confirmPending(outgoing.clientId, message.seq, Number.isFinite(time) ? time : Date.now());
      if (message.seq > entry.room.lastSeq) entry.room = { ...entry.room, lastSeq: message.seq };
      this.core.changed(entry);
      if (entry.loaded && message.seq > entry.timeline.syncedUpTo) {
        // Others wrote in between and we haven't seen it yet.
        await this.history.catchUpNow(entry).catch(() => this.scheduleSync());
      }
    });
  }

  onSendProblem(outgoing: OutboxEntry, state: 'pending' | 'failed', note: string | null): void {
    const entry = this.core.entries.get(outgoing.roomId);
    if (!entry) return;
    entry.timeline.updatePending(outgoing.clientId, { state, note });
    this.core.changed(entry);
  }
}
