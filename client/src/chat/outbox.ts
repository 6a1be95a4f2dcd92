// Messages on their way to the server. One at a time and in order: a message written
// while offline waits, and goes out after the ones written before it once the socket is
// back. A retry sends the same envelope with the same client id, which the server
// recognises (it is idempotent on clientId), so a lost acknowledgement never doubles a
// message. After a few failed attempts a message is marked failed and waits for the
// person to press Retry.

import type { MessageBody } from '@onionchat/protocol';
import type { ServerMessage } from './api';

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
  attempts: number;
  /** Rate-limit answers in a row (they don't count as failures, but slow down). */
  throttled: number;
  notBefore: number;
}

/** A message not yet sealed or sent. */
export function newOutboxEntry(roomId: string, clientId: string, body: MessageBody): OutboxEntry {
  return { roomId, clientId, body, envelope: null, epoch: null, sentAt: null, attempts: 0, throttled: 0, notBefore: 0 };
}

export type SendOutcome =
  | { kind: 'sent'; message: ServerMessage }
  /** Try again later. `counts`: whether this was a real failure (timeouts, server errors) or just bad luck (disconnected). */
  | { kind: 'retry'; counts: boolean; note: string | null; delayMs?: number }
  | { kind: 'failed'; note: string };

export interface OutboxHooks {
  canSend(): boolean;
  /** Seals the entry (fills envelope, epoch, sentAt) if it isn't yet. */
  seal(entry: OutboxEntry): Promise<void>;
  transmit(entry: OutboxEntry): Promise<SendOutcome>;
  sent(entry: OutboxEntry, message: ServerMessage): void;
  /** The entry is still pending (with a note) or has failed. */
  problem(entry: OutboxEntry, state: 'pending' | 'failed', note: string | null): void;
  /** Sealing failed in a way that is not worth retrying automatically. */
  classifySealError(error: unknown): SendOutcome;
}

/** Attempts before a message is marked failed. */
export const MAX_ATTEMPTS = 4;
const BACKOFF_MS = [2_000, 5_000, 10_000, 20_000];
export const RATE_LIMIT_BACKOFF_MS = 15_000;
const RATE_LIMIT_BACKOFF_MAX_MS = 60_000;

export class Outbox {
  private queue: OutboxEntry[] = [];
  private readonly failed = new Map<string, OutboxEntry>();
  private running = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(private readonly hooks: OutboxHooks) {}

  get size(): number {
    return this.queue.length;
  }

  add(entry: OutboxEntry): void {
    this.queue.push(entry);
    this.kick();
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
    this.kick();
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

  /** Call when sending may have become possible (connected, or a timer fired). */
  kick(): void {
    if (this.stopped || this.running) return;
    void this.pump();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.queue = [];
    this.failed.clear();
  }

  private async pump(): Promise<void> {
    this.running = true;
    try {
      while (!this.stopped && this.queue.length > 0 && this.hooks.canSend()) {
        const head = this.queue[0]!;
        const wait = head.notBefore - Date.now();
        if (wait > 0) {
          this.wakeIn(wait);
          return;
        }
        let outcome: SendOutcome;
        try {
          await this.hooks.seal(head);
          outcome = await this.hooks.transmit(head);
        } catch (error) {
          outcome = this.hooks.classifySealError(error);
        }
        // Dropped meanwhile (room removed, or delivered via a catch-up)?
        if (this.queue[0] !== head) continue;
        this.settle(head, outcome);
      }
    } finally {
      this.running = false;
    }
  }

  private settle(entry: OutboxEntry, outcome: SendOutcome): void {
    if (outcome.kind === 'sent') {
      this.queue.shift();
      this.hooks.sent(entry, outcome.message);
      return;
    }
    if (outcome.kind === 'failed') {
      this.queue.shift();
      this.failed.set(entry.clientId, entry);
      this.hooks.problem(entry, 'failed', outcome.note);
      return;
    }
    if (outcome.counts) {
      entry.attempts += 1;
      if (entry.attempts >= MAX_ATTEMPTS) {
        this.queue.shift();
        this.failed.set(entry.clientId, entry);
        this.hooks.problem(entry, 'failed', outcome.note ?? 'Not sent.');
        return;
      }
    }
    let delay: number;
    if (outcome.delayMs !== undefined) {
      entry.throttled += 1;
      delay = Math.min(RATE_LIMIT_BACKOFF_MAX_MS, outcome.delayMs * entry.throttled);
    } else if (outcome.counts) {
      delay = BACKOFF_MS[entry.attempts - 1] ?? BACKOFF_MS[BACKOFF_MS.length - 1]!;
    } else {
      delay = 1_000;
    }
    entry.notBefore = Date.now() + delay * (0.75 + Math.random() / 2);
    this.hooks.problem(entry, 'pending', outcome.note);
  }

  private wakeIn(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.kick();
    }, ms);
  }
}
