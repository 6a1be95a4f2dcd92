// MessageLog's scheduling (group commit) against a fake repository whose batch writes
// finish only when a test says so: which sends go together, how many batches are written
// at a time, per-room order, publishing, retries and failures.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Logger } from '@nestjs/common';
import type { Config } from '../config/config.js';
import { MessageLog } from './message-log.js';
import type { AppendResult, NewMessage } from './messages.repository.js';

type Stored = Extract<AppendResult, { kind: 'stored' }>;

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (err: unknown) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending promise callback (and the log's follow-up batches) run. */
const flush = () => new Promise<void>((r) => setImmediate(r));

let sent = 0;
/** A send to `roomId`; its clientId says which one, for readable failures. */
function message(roomId: string): NewMessage {
  sent++;
  return {
    id: `id-${sent}`,
    roomId,
    senderId: 'sender',
    clientId: `${roomId}#${sent}`,
    epoch: 1,
    envelope: 'AAAA',
    disappearsAt: null,
  };
}

const clientIds = (messages: NewMessage[]) => messages.map((m) => m.clientId);

interface Call {
  messages: NewMessage[];
  settled: boolean;
  /** Commits the batch: each message takes its room's next sequence number, in batch order. */
  store: () => void;
  /** Answers the batch with the given results, one per message. */
  answer: (results: AppendResult[]) => void;
  fail: (err: unknown) => void;
}

/**
 * Stands in for MessagesRepository: every appendBatch call waits until the test settles
 * it, and the fake checks at each call what MessageLog promises about batches.
 */
class FakeRepository {
  readonly calls: Call[] = [];
  readonly violations: string[] = [];
  maxInFlight = 0;
  maxBatch = 0;
  private readonly lastSeq = new Map<string, number>();

  constructor(private readonly config: Pick<Config, 'MESSAGE_WRITERS' | 'MESSAGE_BATCH_MAX'>) {}

  appendBatch(messages: NewMessage[]): Promise<AppendResult[]> {
    const inFlight = this.inFlight();
    if (inFlight.length >= this.config.MESSAGE_WRITERS)
      this.violations.push(`batch #${this.calls.length + 1} over the writers`);
    if (messages.length > this.config.MESSAGE_BATCH_MAX) this.violations.push(`batch of ${messages.length}`);
    const busy = new Set(inFlight.flatMap((c) => c.messages.map((m) => m.roomId)));
    for (const m of messages) if (busy.has(m.roomId)) this.violations.push(`${m.roomId} in two batches at once`);
    this.maxInFlight = Math.max(this.maxInFlight, inFlight.length + 1);
    this.maxBatch = Math.max(this.maxBatch, messages.length);

    const d = deferred<AppendResult[]>();
    const call: Call = {
      messages: [...messages],
      settled: false,
      store: () => call.answer(messages.map((m) => this.stored(m.roomId))),
      answer: (results) => {
        call.settled = true;
        d.resolve(results);
      },
      fail: (err) => {
        call.settled = true;
        d.reject(err);
      },
    };
    this.calls.push(call);
    return d.promise;
  }

  inFlight(): Call[] {
    return this.calls.filter((c) => !c.settled);
  }

  stored(roomId: string): Stored {
    const seq = (this.lastSeq.get(roomId) ?? 0) + 1;
    this.lastSeq.set(roomId, seq);
    return { kind: 'stored', seq: BigInt(seq), createdAt: new Date(0), memberIds: ['sender'] };
  }
}

function setup(writers: number, batchMax: number) {
  const config = { MESSAGE_WRITERS: writers, MESSAGE_BATCH_MAX: batchMax };
  const repo = new FakeRepository(config);
  const log = new MessageLog(config as Config, repo as never);
  /** What happened, in order: "publish <clientId> <seq>" and "resolve <clientId> <kind>". */
  const events: string[] = [];
  log.onStored((m, result) => events.push(`publish ${m.clientId} ${result.seq}`));
  const send = (roomId: string) => {
    const m = message(roomId);
    const promise = log.append(m);
    promise.then(
      (r) => events.push(`resolve ${m.clientId} ${r.kind}`),
      () => events.push(`reject ${m.clientId}`),
    );
    return { message: m, promise };
  };
  return { repo, log, events, send };
}

const seqOf = async (p: Promise<AppendResult>) => {
  const r = await p;
  if (r.kind !== 'stored') throw new Error(`not stored: ${r.kind}`);
  return Number(r.seq);
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('MessageLog', () => {
  it('writes an unloaded send alone, at once', async () => {
    const { repo, send } = setup(4, 256);
    const a = send('r1');
    expect(repo.calls).toHaveLength(1);
    expect(clientIds(repo.calls[0]!.messages)).toEqual([a.message.clientId]);
    repo.calls[0]!.store();
    expect(await seqOf(a.promise)).toBe(1);
  });

  it('groups the sends that arrive while a batch is being written into the next batch', async () => {
    const { repo, send } = setup(1, 256);
    const first = send('r1');
    const waiting = [send('r1'), send('r2'), send('r1'), send('r3')];
    await flush();
    expect(repo.calls).toHaveLength(1);

    repo.calls[0]!.store();
    await flush();
    expect(repo.calls).toHaveLength(2);
    expect(clientIds(repo.calls[1]!.messages)).toEqual(waiting.map((s) => s.message.clientId));
    repo.calls[1]!.store();
    expect(await seqOf(first.promise)).toBe(1);
    expect(await Promise.all(waiting.map((s) => seqOf(s.promise)))).toEqual([2, 1, 3, 1]);
    expect(repo.violations).toEqual([]);
  });

  it('writes no more than MESSAGE_WRITERS batches at a time', async () => {
    const { repo, send } = setup(2, 256);
    const sends = ['r1', 'r2', 'r3', 'r4', 'r5'].map((room) => send(room));
    await flush();
    expect(repo.inFlight().map((c) => clientIds(c.messages))).toEqual([
      [sends[0]!.message.clientId],
      [sends[1]!.message.clientId],
    ]);

    repo.calls[1]!.store();
    await flush();
    // The freed writer takes everything that waited; the other is still busy.
    expect(repo.inFlight()).toHaveLength(2);
    expect(clientIds(repo.calls[2]!.messages)).toEqual(sends.slice(2).map((s) => s.message.clientId));
    repo.calls[0]!.store();
    repo.calls[2]!.store();
    await Promise.all(sends.map((s) => s.promise));
    expect(repo.maxInFlight).toBe(2);
    expect(repo.violations).toEqual([]);
  });

  it('never has a room in two batches at once, keeps its sends in arrival order, and lets other rooms go on', async () => {
    const { repo, send } = setup(3, 256);
    const a1 = send('a');
    const a2 = send('a');
    const a3 = send('a');
    const b1 = send('b');
    await flush();
    // Writers are free, but room a's later sends wait for its batch; room b goes at once.
    expect(repo.inFlight().map((c) => clientIds(c.messages))).toEqual([[a1.message.clientId], [b1.message.clientId]]);

    repo.calls[1]!.store();
    expect(await seqOf(b1.promise)).toBe(1);
    const b2 = send('b');
    await flush();
    expect(clientIds(repo.calls[2]!.messages)).toEqual([b2.message.clientId]);
    repo.calls[2]!.store();
    expect(await seqOf(b2.promise)).toBe(2);
    expect(repo.calls[0]!.settled).toBe(false);

    repo.calls[0]!.store();
    await flush();
    expect(clientIds(repo.calls[3]!.messages)).toEqual([a2.message.clientId, a3.message.clientId]);
    repo.calls[3]!.store();
    expect(await Promise.all([a1, a2, a3].map((s) => seqOf(s.promise)))).toEqual([1, 2, 3]);
    expect(repo.violations).toEqual([]);
  });

  it('puts at most MESSAGE_BATCH_MAX sends in a batch, the oldest first', async () => {
    const { repo, send } = setup(1, 3);
    const sends = Array.from({ length: 8 }, (_, i) => send(i % 2 ? 'r1' : 'r2'));
    while (repo.inFlight().length) {
      repo.inFlight()[0]!.store();
      await flush();
    }
    expect(repo.calls.map((c) => c.messages.length)).toEqual([1, 3, 3, 1]);
    expect(repo.calls.flatMap((c) => clientIds(c.messages))).toEqual(sends.map((s) => s.message.clientId));
    expect(await Promise.all(sends.map((s) => seqOf(s.promise)))).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
    expect(repo.violations).toEqual([]);
  });

  it('publishes stored messages in sequence order per room, each before its send resolves, and nothing else', async () => {
    const { repo, events, send } = setup(1, 256);
    const first = send('r1');
    const [stored, again, refused, other] = [send('r1'), send('r1'), send('r1'), send('r2')];
    repo.calls[0]!.store();
    await flush();
    const earlier: AppendResult = {
      kind: 'earlier',
      id: first.message.id,
      roomId: 'r1',
      seq: 1n,
      epoch: 1,
      envelope: 'AAAA',
      createdAt: new Date(0),
      disappearsAt: null,
      erasedAt: null,
    };
    repo.calls[1]!.answer([repo.stored('r1'), earlier, { kind: 'refused' }, repo.stored('r2')]);
    await Promise.all([first, stored, again, refused, other].map((s) => s.promise));

    const published = events.filter((e) => e.startsWith('publish'));
    expect(published).toEqual([
      `publish ${first.message.clientId} 1`,
      `publish ${stored.message.clientId} 2`,
      `publish ${other.message.clientId} 1`,
    ]);
    for (const { message } of [first, stored, other]) {
      const publishedAt = events.findIndex((e) => e.startsWith(`publish ${message.clientId} `));
      expect(publishedAt).toBeLessThan(events.indexOf(`resolve ${message.clientId} stored`));
    }
    expect(await again.promise).toEqual(earlier);
    expect(await refused.promise).toEqual({ kind: 'refused' });
  });

  it('runs a batch again after a retryable error, and the sends succeed', async () => {
    const { repo, send, events } = setup(1, 256);
    const a = send('r1');
    const b = send('r2');
    repo.calls[0]!.fail(Object.assign(new Error('deadlock detected'), { code: '40P01' }));
    await flush();
    expect(repo.calls).toHaveLength(2);
    expect(clientIds(repo.calls[1]!.messages)).toEqual([a.message.clientId]);
    repo.calls[1]!.store();
    await flush();
    repo.calls[2]!.fail({ meta: { code: '40001' } });
    await flush();
    repo.calls[3]!.fail({ cause: { code: '23505' } });
    await flush();
    expect(clientIds(repo.calls[4]!.messages)).toEqual([b.message.clientId]);
    repo.calls[4]!.store();
    expect(await seqOf(a.promise)).toBe(1);
    expect(await seqOf(b.promise)).toBe(1);
    expect(events.filter((e) => e.startsWith('publish'))).toHaveLength(2);
  });

  it('gives up on a batch after three retryable errors', async () => {
    const { repo, send } = setup(1, 256);
    const a = send('r1');
    const deadlock = { code: '40P01' };
    for (let attempt = 0; attempt < 3; attempt++) {
      repo.calls[attempt]!.fail(deadlock);
      await flush();
    }
    await expect(a.promise).rejects.toBe(deadlock);
    expect(repo.calls).toHaveLength(3);
  });

  it('rejects every send of a batch that fails for good, and later sends still work', async () => {
    const { repo, send, events } = setup(1, 256);
    const first = send('r1');
    const doomed = [send('r1'), send('r2')];
    repo.calls[0]!.store();
    await flush();
    const boom = new Error('disk full');
    repo.calls[1]!.fail(boom);
    for (const s of doomed) await expect(s.promise).rejects.toBe(boom);
    expect(repo.calls).toHaveLength(2);
    expect(events.filter((e) => e.startsWith('publish'))).toEqual([`publish ${first.message.clientId} 1`]);

    const later = send('r1');
    await flush();
    expect(clientIds(repo.calls[2]!.messages)).toEqual([later.message.clientId]);
    repo.calls[2]!.store();
    expect(await seqOf(later.promise)).toBe(2);
    expect(repo.inFlight()).toEqual([]);
  });

  it('still resolves the sends when publishing throws', async () => {
    const logged = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => {});
    const { repo, log, send } = setup(1, 256);
    const published: string[] = [];
    log.onStored((m) => {
      published.push(m.clientId);
      throw new Error('fan-out failed');
    });
    const first = send('r1');
    const rest = [send('r1'), send('r2')];
    repo.calls[0]!.store();
    await flush();
    repo.calls[1]!.store();
    expect(await Promise.all([first, ...rest].map((s) => seqOf(s.promise)))).toEqual([1, 2, 1]);
    expect(published).toEqual([first, ...rest].map((s) => s.message.clientId));
    expect(logged).toHaveBeenCalledTimes(3);
  });

  it('keeps every promise under a long mixed load with batches finishing out of order', async () => {
    const writers = 3;
    const { repo, send, events } = setup(writers, 4);
    const rooms = ['r1', 'r2', 'r3', 'r4', 'r5'];
    // A fixed pseudo-random sequence, so a failure can be replayed.
    let state = 12345;
    const random = (n: number) => {
      state = (state * 48271) % 2147483647;
      return state % n;
    };
    const sends: ReturnType<typeof send>[] = [];
    while (sends.length < 300) {
      if (random(3) > 0) sends.push(send(rooms[random(rooms.length)]!));
      const inFlight = repo.inFlight();
      if (inFlight.length && random(4) === 0) inFlight[random(inFlight.length)]!.store();
      await flush();
    }
    while (repo.inFlight().length) {
      repo.inFlight()[0]!.store();
      await flush();
    }

    expect(repo.violations).toEqual([]);
    expect(repo.maxInFlight).toBe(writers);
    expect(repo.maxBatch).toBe(4);
    for (const room of rooms) {
      const ofRoom = sends.filter((s) => s.message.roomId === room);
      // Sequence numbers follow arrival order, and publishing followed sequence order.
      expect(await Promise.all(ofRoom.map((s) => seqOf(s.promise)))).toEqual(ofRoom.map((_, i) => i + 1));
      const publishedIds = events.filter((e) => e.startsWith(`publish ${room}#`)).map((e) => e.split(' ')[1]);
      expect(publishedIds).toEqual(ofRoom.map((s) => s.message.clientId));
    }
  });
});
