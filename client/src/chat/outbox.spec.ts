import type { SendMessagePayload } from '@onionchat/contract';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChatWorld } from '../test-support/chat-world.js';
import { RealtimeError } from '../transport/realtime.js';
import { BACKOFF_MS, MAX_ATTEMPTS, Outbox, RATE_LIMIT_BACKOFF_MS, newOutboxEntry } from './outbox.js';

const timeout = () => new RealtimeError('timeout');

describe('Outbox (the queue alone)', () => {
  it('hands out the head only, waits for its backoff, and ignores results for what left the queue', () => {
    const outbox = new Outbox(() => 0.5);
    const a = newOutboxEntry('r', 'a', { type: 'text', text: 'a' });
    const b = newOutboxEntry('r', 'b', { type: 'text', text: 'b' });
    outbox.add(a);
    outbox.add(b);
    expect(outbox.next(0)).toEqual({ kind: 'send', entry: a });
    expect(outbox.settle(a, { kind: 'retry', counts: true, note: 'x' }, 0)).toEqual({
      kind: 'pending',
      note: 'x',
      retryInMs: BACKOFF_MS[0],
    });
    // b never overtakes a.
    expect(outbox.next(1)).toEqual({ kind: 'wait', ms: BACKOFF_MS[0]! - 1 });
    expect(outbox.next(BACKOFF_MS[0]!)).toEqual({ kind: 'send', entry: a });
    outbox.delivered('a');
    expect(outbox.settle(a, { kind: 'retry', counts: true, note: null }, 0)).toEqual({ kind: 'gone' });
    expect(outbox.next(0)).toEqual({ kind: 'send', entry: b });
  });

  it('fails a message after MAX_ATTEMPTS counted failures, but never for disconnections or rate limits', () => {
    const outbox = new Outbox(() => 0.5);
    const a = newOutboxEntry('r', 'a', { type: 'text', text: 'a' });
    outbox.add(a);
    for (let i = 0; i < 10; i++) {
      expect(outbox.settle(a, { kind: 'retry', counts: false, note: null }, 0).kind).toBe('pending');
      expect(outbox.settle(a, { kind: 'retry', counts: false, note: null, delayMs: 1 }, 0).kind).toBe('pending');
    }
    for (let i = 1; i < MAX_ATTEMPTS; i++) {
      expect(outbox.settle(a, { kind: 'retry', counts: true, note: null }, 0).kind).toBe('pending');
    }
    expect(outbox.settle(a, { kind: 'retry', counts: true, note: null }, 0)).toEqual({
      kind: 'failed',
      note: 'Not sent.',
    });
    expect(outbox.next(0)).toEqual({ kind: 'idle' });
    expect(outbox.retry('nope')).toBe(false);
    expect(outbox.retry('a')).toBe(true);
    expect(outbox.next(0)).toEqual({ kind: 'send', entry: a });
  });
});

/** The real one, taken before any test fakes the timers. */
const realSetImmediate = globalThis.setImmediate;

describe('sending through the session', () => {
  let world: ChatWorld;

  beforeEach(() => {
    vi.useFakeTimers();
    // No jitter: backoffs are exactly the table's.
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
  });

  afterEach(() => {
    world?.session?.stop();
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  async function ready(connected = true): Promise<void> {
    world = new ChatWorld();
    if (connected) world.live.connect();
    world.start();
    world.session.setActiveRoom(world.roomId);
    await vi.waitFor(() => expect(world.view()?.loaded).toBe(true));
  }

  const mine = () => world.view()?.items.filter((i) => i.mine) ?? [];

  /**
   * Sealing signs through the engine's WebCrypto, which answers on its own thread
   * whatever the fake clock says: wait (on the real clock) for the first attempt
   * before the backoff timings are stepped through.
   */
  async function firstAttempt(): Promise<void> {
    for (let turn = 0; turn < 500 && world.live.sent.length === 0; turn++) {
      await new Promise((resolve) => realSetImmediate(resolve));
      await vi.advanceTimersByTimeAsync(0);
    }
    expect(world.live.sent.length).toBeGreaterThan(0);
  }

  it('retries with backoff, and sends the same client id and envelope bytes every time', async () => {
    await ready();
    let answers = 0;
    world.live.ack = (payload) => {
      answers += 1;
      if (answers < 3) return timeout();
      return { ok: true, message: world.store(world.alice.user.id, payload.envelope), duplicate: false };
    };
    world.session.send(world.roomId, 'hello');
    await firstAttempt();
    expect(world.live.sent).toHaveLength(1);
    expect(mine()[0]).toMatchObject({ state: 'pending', note: 'The server did not answer in time.' });

    // Not before the first backoff is over.
    await vi.advanceTimersByTimeAsync(BACKOFF_MS[0]! - 10);
    expect(world.live.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10);
    expect(world.live.sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(BACKOFF_MS[1]! - 10);
    expect(world.live.sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(10);
    expect(world.live.sent).toHaveLength(3);

    await vi.waitFor(() => expect(mine()).toMatchObject([{ state: 'sent', seq: 1, text: 'hello' }]));
    const [first, ...rest] = world.live.sent;
    for (const again of rest) {
      expect(again.clientId).toBe(first!.clientId);
      expect(again.envelope).toBe(first!.envelope);
    }
    expect(world.session.getSnapshot().queued).toBe(0);
  });

  it('after a lost acknowledgement, resends the identical message and shows it once', async () => {
    await ready();
    const stored = new Map<string, ReturnType<ChatWorld['store']>>();
    let answers = 0;
    // The server is idempotent on clientId: the first copy is stored, the answer lost.
    world.live.ack = (payload: SendMessagePayload) => {
      answers += 1;
      let message = stored.get(payload.clientId);
      const duplicate = Boolean(message);
      if (!message) {
        message = world.store(world.alice.user.id, payload.envelope);
        stored.set(payload.clientId, message);
      }
      return answers === 1 ? timeout() : { ok: true, message, duplicate };
    };
    world.session.send(world.roomId, 'only once');
    await firstAttempt();
    await vi.advanceTimersByTimeAsync(BACKOFF_MS[0]!);
    await vi.waitFor(() => expect(mine()).toMatchObject([{ state: 'sent', seq: 1 }]));
    expect(world.live.sent).toHaveLength(2);
    expect(world.live.sent[1]).toEqual(world.live.sent[0]);
    expect(world.messages).toHaveLength(1);
    expect(world.view()?.items).toHaveLength(1);
  });

  it('stops resending once a catch-up shows the server stored it', async () => {
    await ready();
    world.live.ack = (payload) => {
      const message = world.store(world.alice.user.id, payload.envelope);
      // The socket announces it; the acknowledgement is lost.
      world.live.emit('message:new', message);
      return timeout();
    };
    world.session.send(world.roomId, 'seen');
    await vi.advanceTimersByTimeAsync(0);
    await vi.waitFor(() => expect(mine()).toMatchObject([{ state: 'sent', seq: 1, text: 'seen' }]));
    await vi.advanceTimersByTimeAsync(BACKOFF_MS[3]! * 2);
    expect(world.live.sent).toHaveLength(1);
    expect(world.view()?.items).toHaveLength(1);
  });

  it('backs off on a rate-limit answer without counting it as a failure', async () => {
    await ready();
    let answers = 0;
    world.live.ack = (payload) => {
      answers += 1;
      if (answers <= MAX_ATTEMPTS + 1) return { ok: false, status: 429, code: 'rate_limited', message: 'Slow down.' };
      return { ok: true, message: world.store(world.alice.user.id, payload.envelope), duplicate: false };
    };
    world.session.send(world.roomId, 'patience');
    await firstAttempt();
    expect(mine()[0]).toMatchObject({ state: 'pending', note: 'Slow down.' });
    await vi.advanceTimersByTimeAsync(RATE_LIMIT_BACKOFF_MS - 10);
    expect(world.live.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10);
    expect(world.live.sent).toHaveLength(2);
    // The second throttle waits twice as long.
    await vi.advanceTimersByTimeAsync(2 * RATE_LIMIT_BACKOFF_MS - 10);
    expect(world.live.sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(10);
    expect(world.live.sent).toHaveLength(3);
    // More throttles than MAX_ATTEMPTS: still pending, never failed.
    await vi.advanceTimersByTimeAsync(60_000 * 4);
    await vi.waitFor(() => expect(mine()).toMatchObject([{ state: 'sent', text: 'patience' }]));
    expect(world.live.sent.length).toBe(MAX_ATTEMPTS + 2);
  });

  it('queues while offline and sends in the order written once connected', async () => {
    await ready(false);
    for (const text of ['first', 'second', 'third']) world.session.send(world.roomId, text);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(world.live.sent).toHaveLength(0);
    expect(world.session.getSnapshot().queued).toBe(3);
    expect(mine().map((i) => [i.text, i.state])).toEqual([
      ['first', 'pending'],
      ['second', 'pending'],
      ['third', 'pending'],
    ]);
    world.live.connect();
    await vi.waitFor(() => expect(mine().map((i) => i.state)).toEqual(['sent', 'sent', 'sent']));
    expect(world.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(mine().map((i) => [i.text, i.seq])).toEqual([
      ['first', 1],
      ['second', 2],
      ['third', 3],
    ]);
    expect(new Set(world.live.sent.map((p) => p.clientId)).size).toBe(3);
  });

  it('marks a message failed after MAX_ATTEMPTS, and Retry sends the same envelope again', async () => {
    await ready();
    world.live.ack = () => timeout();
    world.session.send(world.roomId, 'stubborn');
    await firstAttempt();
    await vi.advanceTimersByTimeAsync(BACKOFF_MS.reduce((a, b) => a + b, 0) * 2);
    expect(world.live.sent).toHaveLength(MAX_ATTEMPTS);
    await vi.waitFor(() => expect(mine()[0]).toMatchObject({ state: 'failed' }));
    // Nothing more goes out on its own.
    await vi.advanceTimersByTimeAsync(120_000);
    expect(world.live.sent).toHaveLength(MAX_ATTEMPTS);

    world.live.ack = (payload) => ({
      ok: true,
      message: world.store(world.alice.user.id, payload.envelope),
      duplicate: false,
    });
    world.session.retry(world.roomId, mine()[0]!.messageId!);
    await vi.waitFor(() => expect(mine()[0]).toMatchObject({ state: 'sent', seq: 1 }));
    expect(world.live.sent).toHaveLength(MAX_ATTEMPTS + 1);
    expect(world.live.sent[MAX_ATTEMPTS]).toEqual(world.live.sent[0]);
  });

  it('fails at once when the server refuses the message for good', async () => {
    await ready();
    world.live.ack = () => ({ ok: false, status: 413, code: 'too_large', message: 'Too large.' });
    world.session.send(world.roomId, 'big');
    await vi.waitFor(() => expect(mine()[0]).toMatchObject({ state: 'failed', note: 'Too large.' }));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(world.live.sent).toHaveLength(1);
  });
});
