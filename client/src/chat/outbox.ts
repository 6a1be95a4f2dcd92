// Messages on their way to the server, as a queue with explicit results: the sender
// asks what is due next, tries it, and tells the outbox how it went; the outbox
// answers what that means (sent, wait and try again, failed). It calls nobody.
//
// One at a time and in order: a message written while offline waits, and goes out
// after the ones written before it once the socket is back. A retry sends the same
// envelope with the same client id, which the server recognises (it is idempotent
// on clientId), so a lost acknowledgement never doubles a message. After a few
// failed attempts a message is marked failed and waits for the person to press Retry.

import type { ServerMessage } from '@onionchat/contract';
import type { MessageBody } from '@onionchat/protocol';
import { sayer } from '../present/phrasebook.js';
import { SENDING_PHRASES } from './sending-phrases.js';

const say = sayer(SENDING_PHRASES);

export interface OutboxEntry {
  roomId: string;
  /** Also the message id inside the envelope. */
  clientId: string;
  /** What is sealed: a text, or a file whose upload has finished. */
  body: MessageBody;
  /** Sealed once; every retry sends exactly these bytes (base64). */
  envelope: string | null;
  epoch: number | null;
  sentAt: number | null;
  /** The sender counter it was sealed with: sealing it again (under a newer epoch) keeps it, and its time. */
  counter: { chain: string; n: number } | null;
  attempts: number;
  /** Rate-limit answers in a row (they don't count as failures, but slow down). */
  throttled: number;
  notBefore: number;
}

/** A message not yet sealed or sent. */
export function newOutboxEntry(roomId: string, clientId: string, body: MessageBody): OutboxEntry {
  return {
    roomId,
    clientId,
    body,
    envelope: null,
    epoch: null,
    sentAt: null,
    counter: null,
    attempts: 0,
    throttled: 0,
    notBefore: 0,
  };
}

/** How one attempt went. */
export type SendOutcome =
  | { kind: 'sent'; message: ServerMessage }
  /** Try again later. `counts`: a real failure (timeouts, server errors), or just bad luck (disconnected). */
  | { kind: 'retry'; counts: boolean; note: string | null; delayMs?: number; reseal?: boolean }
  | { kind: 'failed'; note: string }
  /** Its disappearing time passed before the server stored it: it is gone everywhere, so it is dropped. */
  | { kind: 'disappeared' };

/** What the outbox made of it. */
export type Settlement =
  | { kind: 'sent'; message: ServerMessage }
  /** Still queued: tried again after `retryInMs`. */
  | { kind: 'pending'; note: string | null; retryInMs: number }
  /** Out of the queue until the person presses Retry. */
  | { kind: 'failed'; note: string }
  /** No longer queued (delivered meanwhile, or its room is gone): nothing to do. */
  | { kind: 'gone' }
  /** Dropped: its disappearing time passed before it was stored (its pending item goes too). */
  | { kind: 'disappeared' };

/** What to do now. */
export type Due = { kind: 'send'; entry: OutboxEntry } | { kind: 'wait'; ms: number } | { kind: 'idle' };

/** Attempts before a message is marked failed. */
export const MAX_ATTEMPTS = 4;
export const BACKOFF_MS = [2_000, 5_000, 10_000, 20_000];
/** A try after a mere disconnection. */
export const RECONNECT_RETRY_MS = 1_000;
export const RATE_LIMIT_BACKOFF_MS = 15_000;
export const RATE_LIMIT_BACKOFF_MAX_MS = 60_000;

export class Outbox {
  private queue: OutboxEntry[] = [];
  private readonly failed = new Map<string, OutboxEntry>();

  /** `random`: for the jitter (a test passes a fixed one). */
  constructor(private readonly random: () => number = Math.random) {}

  get size(): number {
    return this.queue.length;
  }

  add(entry: OutboxEntry): void {
    this.queue.push(entry);
  }

  /** Puts a failed message back in line (at the end), with a fresh set of attempts. */
  retry(clientId: string): boolean {
    const entry = this.failed.get(clientId);
    if (!entry) return false;
    this.failed.delete(clientId);
    entry.attempts = 0;
    entry.throttled = 0;
    entry.notBefore = 0;
    this.queue.push(entry);
    return true;
  }

  /** The server turned out to have stored it already (seen in a catch-up): stop sending it. */
  delivered(clientId: string): void {
    this.queue = this.queue.filter((entry) => entry.clientId !== clientId);
    this.failed.delete(clientId);
  }

  /** The conversation is gone (friend removed): drop its messages. */
  dropRoom(roomId: string): void {
    this.queue = this.queue.filter((entry) => entry.roomId !== roomId);
    for (const [id, entry] of this.failed) if (entry.roomId === roomId) this.failed.delete(id);
  }

  clear(): void {
    this.queue = [];
    this.failed.clear();
  }

  /** The message to send now, or how long until the first one is due. */
  next(now: number): Due {
    const head = this.queue[0];
    if (!head) return { kind: 'idle' };
    const wait = head.notBefore - now;
    return wait > 0 ? { kind: 'wait', ms: wait } : { kind: 'send', entry: head };
  }

  /** How the attempt at `entry` went. */
  settle(entry: OutboxEntry, outcome: SendOutcome, now: number): Settlement {
    if (this.queue[0] !== entry) return { kind: 'gone' };
    if (outcome.kind === 'sent') {
      this.queue.shift();
      return { kind: 'sent', message: outcome.message };
    }
    if (outcome.kind === 'failed') return this.fail(entry, outcome.note);
    if (outcome.kind === 'disappeared') {
      this.queue.shift();
      return { kind: 'disappeared' };
    }
    if (outcome.counts) {
      entry.attempts += 1;
      if (entry.attempts >= MAX_ATTEMPTS) return this.fail(entry, outcome.note ?? say('sending.outcome.notSent'));
    }
    let delay: number;
    if (outcome.delayMs !== undefined) {
      entry.throttled += 1;
      delay = Math.min(RATE_LIMIT_BACKOFF_MAX_MS, outcome.delayMs * entry.throttled);
    } else if (outcome.counts) {
      delay = BACKOFF_MS[entry.attempts - 1] ?? BACKOFF_MS[BACKOFF_MS.length - 1]!;
    } else {
      delay = RECONNECT_RETRY_MS;
    }
    const retryInMs = Math.round(delay * (0.75 + this.random() / 2));
    entry.notBefore = now + retryInMs;
    return { kind: 'pending', note: outcome.note, retryInMs };
  }

  private fail(entry: OutboxEntry, note: string): Settlement {
    this.queue.shift();
    this.failed.set(entry.clientId, entry);
    return { kind: 'failed', note };
  }
}
