// Group commit of message sends. Sends that arrive while earlier ones are being written
// wait and go together: one statement and one commit (one WAL flush) for all of them,
// instead of a transaction each. An unloaded send goes alone at once, so it waits for
// nothing. Up to MESSAGE_WRITERS batches are written at a time, but a room is never in
// two of them: each room's sends are written one batch after another, in the order they
// arrived, so this instance hands stored messages to `publish` in sequence order per
// room. Nothing is acknowledged before the statement that stored it returned.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CONFIG, type Config } from '../config/config.js';
import { MessagesRepository, type AppendResult, type NewMessage } from './messages.repository.js';

interface Pending {
  message: NewMessage;
  /** The socket the send came on: it has the message in its acknowledgement. */
  origin: string | undefined;
  resolve: (result: AppendResult) => void;
  reject: (err: unknown) => void;
}

type Publish = (
  message: NewMessage,
  result: Extract<AppendResult, { kind: 'stored' }>,
  origin: string | undefined,
) => void;

/** A batch that collides with a concurrent writer (same clientId, a deadlock) is simply run again. */
const RETRYABLE = new Set(['23505', '40P01', '40001']);
const MAX_ATTEMPTS = 3;

function sqlState(err: unknown): string | undefined {
  const e = err as { code?: unknown; meta?: { code?: unknown }; cause?: { code?: unknown } };
  for (const code of [e?.meta?.code, e?.cause?.code, e?.code]) if (typeof code === 'string') return code;
  return undefined;
}

@Injectable()
export class MessageLog {
  private readonly logger = new Logger('MessageLog');
  private queue: Pending[] = [];
  private writers = 0;
  /** Rooms with a batch being written: their next sends wait for it. */
  private readonly busyRooms = new Set<string>();
  private publish: Publish = () => {};

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly messages: MessagesRepository,
  ) {}

  /** Called once with how stored messages go live; runs in commit order, before the sends resolve. */
  onStored(publish: Publish): void {
    this.publish = publish;
  }

  append(message: NewMessage, origin?: string): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ message, origin, resolve, reject });
      this.startWriters();
    });
  }

  private startWriters(): void {
    while (this.writers < this.config.MESSAGE_WRITERS) {
      const batch = this.nextBatch();
      if (!batch.length) return;
      const rooms = new Set(batch.map((p) => p.message.roomId));
      rooms.forEach((room) => this.busyRooms.add(room));
      this.writers++;
      void this.write(batch).finally(() => {
        rooms.forEach((room) => this.busyRooms.delete(room));
        this.writers--;
        this.startWriters();
      });
    }
  }

  /** The oldest waiting sends of rooms not being written, in arrival order. */
  private nextBatch(): Pending[] {
    const batch: Pending[] = [];
    const rest: Pending[] = [];
    for (const pending of this.queue) {
      const free = !this.busyRooms.has(pending.message.roomId);
      (free && batch.length < this.config.MESSAGE_BATCH_MAX ? batch : rest).push(pending);
    }
    this.queue = rest;
    return batch;
  }

  private async write(batch: Pending[]): Promise<void> {
    let results: AppendResult[];
    try {
      results = await this.appendWithRetry(batch.map((p) => p.message));
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    }
    batch.forEach((p, i) => {
      const result = results[i]!;
      if (result.kind === 'stored') {
        try {
          this.publish(p.message, result, p.origin);
        } catch (err) {
          // Stored is stored: a failed live event is caught up by sequence.
          this.logger.error(err instanceof Error ? err.message : 'publishing a message failed');
        }
      }
      p.resolve(result);
    });
  }

  private async appendWithRetry(messages: NewMessage[]): Promise<AppendResult[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.messages.appendBatch(messages);
      } catch (err) {
        if (attempt >= MAX_ATTEMPTS || !RETRYABLE.has(sqlState(err) ?? '')) throw err;
      }
    }
  }
}
